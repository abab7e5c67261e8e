# The R anchor for bench/research.ts: the same analyses on the same 819 x 100 data, timed in the same
# run. Usage: Rscript bench/research-analyses.R data.csv [analyses|posthoc]  (-9/-1 become NA). Prints the
# median elapsed milliseconds of five runs (after one warm-up), as the Spiegel figure is reported. Base R only.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d[d == -9 | d == -1] <- NA
items <- names(d)[-(1:3)]
g <- d$gender
disc <- factor(d$discipline)
games_howell <- function(y, g) {
  ok <- !is.na(y)
  y <- y[ok]; g <- droplevels(g[ok])
  m <- tapply(y, g, mean); v <- tapply(y, g, var); n <- tapply(y, g, length); k <- nlevels(g)
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    a <- v[[i]] / n[[i]]; b <- v[[j]] / n[[j]]
    df <- (a + b)^2 / (a^2 / (n[[i]] - 1) + b^2 / (n[[j]] - 1))
    t <- (m[[j]] - m[[i]]) / sqrt(a + b)
    ptukey(abs(t) * sqrt(2), k, df, lower.tail = FALSE)
    qtukey(0.95, k, df)
  }
}
run <- function() {
  for (name in items) {
    y <- d[[name]]
    table(y)
    t.test(y ~ g)
    t.test(y ~ g, var.equal = TRUE)
    fit <- aov(y ~ disc)
    summary(fit)
    oneway.test(y ~ disc)
    v <- y[!is.na(y)]
    se <- sqrt(var(v) / length(v) + 1.5^2 / 1000)
    t <- (mean(v) - 4) / se
    df <- se^4 / ((var(v) / length(v))^2 / (length(v) - 1) + (1.5^2 / 1000)^2 / 999)
    2 * pt(-abs(t), df)
    t.test(y, mu = 4)
  }
  sapply(items, function(name) tapply(d[[name]] == 7, g, mean, na.rm = TRUE))
  p <- numeric(0)
  for (j in seq(4, 99, by = 2)) {
    p <- c(p, cor.test(d[[j]], d[[j + 1]])$p.value)
    cor.test(d[[j]], d[[j + 1]], method = "spearman", exact = FALSE)
    t.test(d[[j]], d[[j + 1]], paired = TRUE)
  }
  p.adjust(p, "holm")
  p.adjust(p, "BH")
  chisq.test(table(d$discipline, d$gender))
  tab <- table(d$gender, d$cried)
  chisq.test(tab)
  fisher.test(tab)
  x <- as.matrix(d[, 4:13])
  x <- x[complete.cases(x), ]
  k <- ncol(x)
  k / (k - 1) * (1 - sum(apply(x, 2, var)) / var(rowSums(x)))
}
posthoc <- function() {
  y <- d[[items[1]]]
  TukeyHSD(aov(y ~ disc))
  games_howell(y, disc)
}
f <- if (length(args) >= 2 && args[2] == "posthoc") posthoc else run
invisible(f())
times <- replicate(5, system.time(f())[["elapsed"]])
cat(median(times) * 1000)
