import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type BuildValidator = (externalSchemas: unknown, options: unknown) => (route: unknown) => Validate;
type Serialize = (data: unknown) => string;
type BuildSerializer = (externalSchemas: unknown, options: unknown) => (route: unknown) => Serialize;

/**
 * Fastify's own (Ajv) validator factory, except that each route's schema compiles on the route's first
 * request instead of at start-up: compiling them all was a tenth of a second of every server start.
 * The validation itself is unchanged.
 */
export function lazyValidators(): AjvCompiler.BuildCompilerFromPool {
  const build = AjvCompiler() as unknown as BuildValidator;
  const lazyBuild: BuildValidator = (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let validate: Validate | undefined;
      const lazy: Validate = (data) => {
        validate ??= compile(route);
        const result = validate(data);
        // Fastify reads a failed validation's errors from the function it called.
        lazy.errors = validate.errors;
        return result;
      };
      return lazy;
    };
  };
  return lazyBuild as unknown as AjvCompiler.BuildCompilerFromPool;
}

/**
 * Fastify's own (fast-json-stringify) serializer factory, except that each response schema compiles when
 * the route first sends that status: compiling every route's response schemas was most of a tenth of a
 * second of every start. The serialisation itself is unchanged.
 */
export function lazySerializers(): ReturnType<typeof SerializerSelector> {
  const build = SerializerSelector() as unknown as BuildSerializer;
  const lazyBuild: BuildSerializer = (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let serialize: Serialize | undefined;
      return (data) => (serialize ??= compile(route))(data);
    };
  };
  return lazyBuild as unknown as ReturnType<typeof SerializerSelector>;
}
