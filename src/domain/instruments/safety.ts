import { isObject, pointer, type IssueList } from './issues.ts';
import type { ItemIndex } from './questionnaire-structure.ts';

/** Deepest item nesting Spiegel accepts. Real instruments use two or three levels; a form can show ten. */
export const MAX_ITEM_DEPTH = 10;
/** Deepest JSON nesting of any kind (extensions inside extensions …) before the recursive checks run. */
export const MAX_JSON_DEPTH = 64;

/**
 * Measures nesting without recursion, so a hostile file (items nested 3,000 deep) gets a clear error
 * instead of a stack overflow in the recursive checks that would follow. Returns false when too deep.
 */
export function checkNesting(input: unknown, list: IssueList): boolean {
  const stack: Array<{ value: unknown; path: string; json: number; items: number }> = [
    { value: input, path: '', json: 0, items: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, json, items } = stack.pop()!;
    if (items > MAX_ITEM_DEPTH) {
      list.error(path, 'ITEM_TOO_DEEP', `Items are nested more than ${MAX_ITEM_DEPTH} levels deep here.`);
      return false;
    }
    if (json > MAX_JSON_DEPTH) {
      list.error(path, 'JSON_TOO_DEEP', `The document is nested more than ${MAX_JSON_DEPTH} levels deep here.`);
      return false;
    }
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: pointer(path, i), json: json + 1, items }));
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        // An item array one level below the root or an item: one more level of items.
        stack.push({ value: v, path: pointer(path, key), json: json + 1, items: key === 'item' ? items + 1 : items });
      }
    }
  }
  return true;
}

/**
 * An item shown only when another item is answered, which in turn depends on the first, can never be
 * shown. Finds such cycles in the enableWhen graph (iteratively) and reports one error per cycle.
 */
export function checkEnableWhenCycles(index: ItemIndex, list: IssueList): void {
  const edges = new Map<string, string[]>();
  for (const [linkId, { item }] of index) {
    const targets = Array.isArray(item.enableWhen)
      ? item.enableWhen.flatMap((ew) => (isObject(ew) && typeof ew.question === 'string' && index.has(ew.question) && ew.question !== linkId ? [ew.question] : []))
      : [];
    edges.set(linkId, targets);
  }
  const state = new Map<string, 'open' | 'done'>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    state.set(start, 'open');
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const targets = edges.get(top.node) ?? [];
      if (top.next >= targets.length) {
        state.set(top.node, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const target = targets[top.next++];
      const seen = state.get(target);
      if (seen === 'open') {
        const cycle = [...path.slice(path.indexOf(target)), target];
        list.error(pointer(index.get(top.node)!.path, 'enableWhen'), 'ENABLE_WHEN_CYCLE', `enableWhen forms a cycle: ${cycle.join(' → ')}.`);
      } else if (seen === undefined) {
        state.set(target, 'open');
        path.push(target);
        stack.push({ node: target, next: 0 });
      }
    }
  }
}
