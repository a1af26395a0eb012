package org.quizengine.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document of the REST API ({@code openapi.yaml} on the class path), served as it is
 * and used as the gate in front of every {@code /api/v1} route.
 *
 * <p>The gate answers what the document does not describe (404 for an unknown path, 405 for a
 * known path with another method), so a route cannot exist without being documented. A described
 * operation is validated against its parameters and body schema: a mismatch is 422
 * {@code VALIDATION_FAILED} naming each field; a body that is not JSON is 400
 * {@code MALFORMED_MESSAGE}, one not sent as JSON 415 {@code UNSUPPORTED_MEDIA_TYPE}. Operations that need a token are checked only after {@link Authentication} let the
 * request through, and after the role the operation names in {@code x-required-role}, so a
 * stranger learns nothing from a validation error.
 */
public final class ApiContract {
    public static final String RESOURCE = "openapi.yaml";
    /** The extension naming the least role an operation needs. */
    public static final String REQUIRED_ROLE = "x-required-role";
    private static final String WHOLE_BODY = "body";
    private static final String JSON = "application/json";
    private static final String OPERATION_KEY = ApiContract.class.getName() + ".operation";
    private static final Pattern PARAMETER_NAME = Pattern.compile("parameter (\\S+)");
    private static final Pattern MISSING_PROPERTY = Pattern.compile("required property \"?'?([^\"']+)\"?'?");

    private final OpenAPIContract contract;
    private final RequestValidator validator;
    private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
    private final Buffer document;

    /** Per operation id, the media types its request body may be sent as (none: it takes no body). */
    private final Map<String, Set<String>> bodyTypes;
    /** Per operation id, its string parameters, which this class checks itself (see {@link StringParameter}). */
    private final Map<String, List<StringParameter>> stringParameters;

    private ApiContract(Vertx vertx, OpenAPIContract contract, Buffer document, Map<String, Set<String>> bodyTypes,
                        Map<String, List<StringParameter>> stringParameters) {
        this.contract = contract;
        this.validator = RequestValidator.create(vertx, contract);
        this.document = document;
        this.bodyTypes = bodyTypes;
        this.stringParameters = stringParameters;
    }

    /**
     * A string path or query parameter. The validator reads "-3" or "1.5" as numbers before checking
     * them against a string schema, so a valid username such as "1.5" would be refused; these are
     * taken out of its copy of the document and checked here, as the strings they are.
     */
    private record StringParameter(String name, String in, boolean required, io.vertx.json.schema.Validator schema) {
        static StringParameter of(JsonObject parameter) {
            io.vertx.json.schema.Validator schema = io.vertx.json.schema.Validator.create(
                io.vertx.json.schema.JsonSchema.of(parameter.getJsonObject("schema").copy()),
                new io.vertx.json.schema.JsonSchemaOptions().setDraft(io.vertx.json.schema.Draft.DRAFT4)
                    .setBaseUri("app://").setOutputFormat(io.vertx.json.schema.OutputFormat.Basic));
            return new StringParameter(parameter.getString("name"), parameter.getString("in"),
                parameter.getBoolean("required", false), schema);
        }

        /** What is wrong with {@code value} (null: absent), or null when nothing is. */
        String problem(String value) {
            if (value == null) {
                return required ? "is required" : null;
            }
            OutputUnit result = schema.validate(value);
            if (Boolean.TRUE.equals(result.getValid())) {
                return null;
            }
            List<FieldError> errors = new ArrayList<>();
            collect(result, name, errors);
            return errors.isEmpty() ? "is not valid" : errors.get(0).message();
        }
    }

    /** Reads and resolves {@code openapi.yaml}; fails when the document is not a valid OpenAPI 3 contract. */
    public static Future<ApiContract> load(Vertx vertx) {
        return load(vertx, List.of());
    }

    /**
     * {@code openapi.yaml} with the paths and component schemas of {@code extraResources} (class-path
     * YAML files) added: how tests describe routes that exist only in tests.
     */
    public static Future<ApiContract> load(Vertx vertx, List<String> extraResources) {
        Buffer document;
        JsonObject json;
        Map<String, Set<String>> bodyTypes;
        Map<String, List<StringParameter>> stringParameters;
        try {
            document = readResource(RESOURCE);
            JsonObject merged = parse(document);
            for (String extra : extraResources) {
                JsonObject part = parse(readResource(extra));
                merged.getJsonObject("paths").getMap().putAll(part.getJsonObject("paths", new JsonObject()).getMap());
                JsonObject schemas = part.getJsonObject("components", new JsonObject()).getJsonObject("schemas");
                if (schemas != null) {
                    merged.getJsonObject("components").getJsonObject("schemas").getMap().putAll(schemas.getMap());
                }
            }
            bodyTypes = bodyTypes(merged);
            stringParameters = stringParameters(merged);
            json = forValidation(merged);
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalStateException("Cannot read " + RESOURCE + ": " + e.getMessage(), e));
        }
        return OpenAPIContract.from(vertx, json)
            .recover(e -> Future.failedFuture(new IllegalStateException(
                RESOURCE + " is not a valid OpenAPI 3 document: " + causes(e), e)))
            .map(contract -> new ApiContract(vertx, contract, document, bodyTypes, stringParameters));
    }

    /**
     * The document as the validator is given it: without response bodies, and without request
     * bodies that are not JSON (a CSV import, say). Responses are not validated here, and the
     * validator refuses media types it cannot check, such as the {@code application/problem+json}
     * every error is sent as; a non-JSON body is left to its handler, once {@link #validate} has
     * checked it was sent as one of the types the document names.
     */
    private static JsonObject forValidation(JsonObject document) {
        JsonObject copy = document.copy();
        forEachObject(copy.getJsonObject("paths"), path -> {
            withoutStringParameters(path);
            forEachObject(path, ApiContract::withoutStringParameters);
        });
        forEachObject(copy.getJsonObject("paths"), path -> forEachObject(path, operation -> {
            if (operation.getValue("responses") instanceof JsonObject responses) {
                forEachObject(responses, response -> response.remove("content"));
            }
            if (operation.getValue("requestBody") instanceof JsonObject body) {
                JsonObject content = body.getJsonObject("content", new JsonObject());
                content.fieldNames().removeIf(type -> !type.equals(JSON));
                if (content.isEmpty()) {
                    operation.remove("requestBody");
                }
            }
        }));
        if (copy.getJsonObject("components") != null) {
            forEachObject(copy.getJsonObject("components").getJsonObject("responses"), response -> response.remove("content"));
        }
        return (JsonObject) allowNulls(copy);
    }

    /**
     * OpenAPI 3.0's {@code nullable: true}, which the validator ignores (it would refuse a null the
     * document allows), spelled as JSON Schema: the schema, or null.
     */
    private static Object allowNulls(Object value) {
        if (value instanceof JsonArray array) {
            JsonArray result = new JsonArray();
            array.forEach(item -> result.add(allowNulls(item)));
            return result;
        }
        if (!(value instanceof JsonObject object)) {
            return value;
        }
        JsonObject result = new JsonObject();
        object.forEach(entry -> result.put(entry.getKey(), allowNulls(entry.getValue())));
        if (Boolean.TRUE.equals(result.remove("nullable"))) {
            return new JsonObject().put("anyOf", new JsonArray()
                .add(result)
                .add(new JsonObject().put("enum", new JsonArray().addNull())));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static void withoutStringParameters(JsonObject pathOrOperation) {
        if (pathOrOperation.getValue("parameters") instanceof JsonArray parameters) {
            parameters.getList().removeIf(p -> p instanceof JsonObject parameter ? isString(parameter)
                : p instanceof Map<?, ?> map && isString(new JsonObject((Map<String, Object>) map)));
            if (parameters.isEmpty()) {
                pathOrOperation.remove("parameters");
            }
        }
    }

    private static boolean isString(JsonObject parameter) {
        JsonObject schema = parameter.getJsonObject("schema");
        return schema != null && "string".equals(schema.getString("type"))
            && ("path".equals(parameter.getString("in")) || "query".equals(parameter.getString("in")));
    }

    private static Map<String, List<StringParameter>> stringParameters(JsonObject document) {
        Map<String, List<StringParameter>> result = new java.util.HashMap<>();
        forEachObject(document.getJsonObject("paths"), path -> {
            List<JsonObject> shared = stringParametersOf(path);
            forEachObject(path, operation -> {
                String id = operation.getString("operationId");
                if (id == null) {
                    return;
                }
                List<StringParameter> all = new ArrayList<>();
                shared.forEach(p -> all.add(StringParameter.of(p)));
                stringParametersOf(operation).forEach(p -> all.add(StringParameter.of(p)));
                result.put(id, List.copyOf(all));
            });
        });
        return Map.copyOf(result);
    }

    private static List<JsonObject> stringParametersOf(JsonObject pathOrOperation) {
        List<JsonObject> found = new ArrayList<>();
        if (pathOrOperation.getValue("parameters") instanceof JsonArray parameters) {
            parameters.forEach(p -> {
                if (p instanceof JsonObject parameter && isString(parameter)) {
                    found.add(parameter);
                }
            });
        }
        return found;
    }

    private static Map<String, Set<String>> bodyTypes(JsonObject document) {
        Map<String, Set<String>> types = new java.util.HashMap<>();
        forEachObject(document.getJsonObject("paths"), path -> forEachObject(path, operation -> {
            if (operation.getValue("requestBody") instanceof JsonObject body && operation.getString("operationId") != null) {
                types.put(operation.getString("operationId"), Set.copyOf(body.getJsonObject("content", new JsonObject()).fieldNames()));
            }
        }));
        return Map.copyOf(types);
    }

    private static void forEachObject(JsonObject parent, java.util.function.Consumer<JsonObject> action) {
        if (parent == null) {
            return;
        }
        parent.forEach(entry -> {
            if (entry.getValue() instanceof JsonObject child) {
                action.accept(child);
            }
        });
    }

    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(t.getMessage());
        }
        return text.toString();
    }

    /** The document's text, as served at {@code /openapi.yaml}. */
    public Buffer document() {
        return document;
    }

    /** Every operation the document describes. */
    public List<Operation> operations() {
        return contract.operations();
    }

    /**
     * The handler in front of all routes under {@code /api/v1}: refuses what is not described,
     * validates operations open to anyone, and leaves the others to {@link #signedInGate()}. It reads
     * the normalised path, as the router does ({@code /me/sessions/..} is {@code /me}), so what is
     * checked is what is served.
     */
    public Handler<RoutingContext> gate() {
        return ctx -> {
            if (Problems.hasMalformedEscape(ctx.request().uri())) {
                // Refused here: routing a path with parameters decodes the query too, and throws
                // outside any handler, where no problem body is written.
                ctx.fail(Problems.malformedUri());
                return;
            }
            Operation operation = contract.findOperation(ctx.normalizedPath(), ctx.request().method());
            if (operation == null) {
                refuseUndescribed(ctx);
                return;
            }
            ctx.put(OPERATION_KEY, operation);
            if (needsToken(operation)) {
                ctx.next();
                return;
            }
            validate(ctx, operation);
        };
    }

    /** The handler behind {@link Authentication}: the operation's role, then its validation. */
    public Handler<RoutingContext> signedInGate() {
        return ctx -> {
            Operation operation = ctx.get(OPERATION_KEY);
            if (operation == null) {
                // Not routed through gate(): a wiring mistake, not the client's.
                ctx.fail(new IllegalStateException("No operation for " + ctx.normalizedPath()));
                return;
            }
            Role required = requiredRole(operation);
            if (required != null && !Authentication.current(ctx).role().atLeast(required)) {
                ctx.fail(new QuizException(ErrorCode.FORBIDDEN, "This requires the " + required.wireName() + " role."));
                return;
            }
            validate(ctx, operation);
        };
    }

    /** The role {@code operation} names in {@value #REQUIRED_ROLE}, or null when any signed-in user may call it. */
    public static Role requiredRole(Operation operation) {
        Object role = operation.getExtensions().get(REQUIRED_ROLE);
        return role == null ? null : Role.fromWireName(role.toString());
    }

    /** Whether {@code operation} needs an access token: it has a security requirement of its own or inherits the document's. */
    public boolean needsToken(Operation operation) {
        JsonArray own = operation.getOpenAPIModel().getJsonArray("security");
        if (own != null) {
            return !own.isEmpty();
        }
        JsonArray global = contract.getRawContract().getJsonArray("security");
        return global != null && !global.isEmpty();
    }

    private void refuseUndescribed(RoutingContext ctx) {
        Path path = contract.findPath(ctx.normalizedPath());
        if (path == null) {
            ctx.fail(new QuizException(ErrorCode.NOT_FOUND, "There is no " + ctx.normalizedPath() + " in this API."));
            return;
        }
        Set<String> allowed = new LinkedHashSet<>();
        path.getOperations().forEach(op -> allowed.add(op.getHttpMethod().name()));
        ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
        ctx.fail(new QuizException(ErrorCode.METHOD_NOT_ALLOWED,
            ctx.request().method().name() + " is not allowed on " + ctx.normalizedPath() + "; use " + String.join(" or ", allowed) + "."));
    }

    private void validate(RoutingContext ctx, Operation operation) {
        List<FieldError> parameterErrors = new ArrayList<>(stringParameterErrors(ctx, operation));
        parameterErrors.addAll(percentSignErrors(ctx, operation));
        if (!parameterErrors.isEmpty()) {
            ctx.fail(new ValidationException(parameterErrors));
            return;
        }
        Set<String> accepted = bodyTypes.getOrDefault(operation.getOperationId(), Set.of());
        String mediaType = JsonBodies.mediaType(ctx);
        // A multipart body was taken apart by the body handler, so it looks empty here: it was sent all the same.
        boolean sentABody = !ctx.body().isEmpty() || mediaType.startsWith("multipart/");
        if (!accepted.isEmpty() && sentABody && !accepted.contains(mediaType)) {
            ctx.fail(new QuizException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The request body must be sent as " + String.join(" or ", new java.util.TreeSet<>(accepted)) + "."));
            return;
        }
        if (!accepted.isEmpty() && sentABody && mediaType.equals(JSON) && !JsonBodies.charsetIsUtf8(ctx)) {
            ctx.fail(new QuizException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "A JSON body must be encoded in UTF-8."));
            return;
        }
        if (mediaType.equals(JSON)) {
            // Media types are case-insensitive; the validator reads the header as it is.
            ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, JSON);
        }
        if (accepted.contains(mediaType) && !mediaType.equals(JSON)) {
            // A CSV import, say: its handler reads and checks it (empty, too), row by row.
            ctx.next();
            return;
        }
        Future<ValidatableRequest> extracted;
        try {
            extracted = extractor.extractValidatableRequest(ctx, operation);
        } catch (RuntimeException e) { // a query value it cannot decode is thrown, not failed
            extracted = Future.failedFuture(e);
        }
        extracted.compose(request -> validator.validate(request, operation.getOperationId()))
            .onSuccess(validated -> ctx.next())
            .onFailure(failure -> ctx.fail(asProblem(failure, operation)));
    }

    private List<FieldError> stringParameterErrors(RoutingContext ctx, Operation operation) {
        List<StringParameter> parameters = stringParameters.getOrDefault(operation.getOperationId(), List.of());
        if (parameters.isEmpty()) {
            return List.of();
        }
        Map<String, String> pathValues = pathValues(operation.getOpenAPIPath(), ctx.normalizedPath());
        List<FieldError> errors = new ArrayList<>();
        for (StringParameter parameter : parameters) {
            String value = "path".equals(parameter.in()) ? pathValues.get(parameter.name())
                : ctx.request().getParam(parameter.name());
            String problem = parameter.problem(value);
            if (problem != null) {
                errors.add(new FieldError(parameter.name(), problem));
            }
        }
        return errors;
    }

    /**
     * The query parameters the validator checks (integers and booleans) that hold a '%' (sent as
     * %25): none can be one. The validator decodes query values once more than HTTP does, so it would
     * fail on such a value without naming the parameter, or read {@code 1%2530} as 10.
     */
    private static List<FieldError> percentSignErrors(RoutingContext ctx, Operation operation) {
        List<FieldError> errors = new ArrayList<>();
        for (Parameter parameter : operation.getParameters()) {
            if (parameter.getIn() == Location.QUERY && ctx.request().params().getAll(parameter.getName()).stream()
                .anyMatch(value -> value.indexOf('%') >= 0)) {
                errors.add(new FieldError(parameter.getName(),
                    "is not a valid " + parameter.getSchemaType().name().toLowerCase(Locale.ROOT)));
            }
        }
        return errors;
    }

    /** The values of {@code template}'s {name} segments in {@code path}, decoded. */
    static Map<String, String> pathValues(String template, String path) {
        String[] names = template.split("/", -1);
        String[] values = path.split("/", -1);
        Map<String, String> result = new java.util.HashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].startsWith("{") && names[i].endsWith("}")) {
                result.put(names[i].substring(1, names[i].length() - 1),
                    java.net.URLDecoder.decode(values[i].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    /** A validator failure as the client should see it: which field, and what is wrong, never the value. */
    static RuntimeException asProblem(Throwable failure, Operation operation) {
        boolean aboutBody = failure.getMessage() != null && failure.getMessage().contains("body");
        if (failure instanceof SchemaValidationException schema) {
            List<FieldError> errors = fieldErrors(schema, aboutBody ? bodyProperties(operation) : List.of());
            if (aboutBody && (errors.isEmpty() || errors.stream().anyMatch(e -> e.field().equals(WHOLE_BODY)
                && e.message().startsWith("Instance type")))) {
                // Missing, or JSON of the wrong shape (an array for an object, a string, null).
                return new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body must be a JSON " + bodyType(operation) + ".");
            }
            return errors.isEmpty() ? new QuizException(ErrorCode.VALIDATION_FAILED, schema.getMessage())
                : new ValidationException(errors);
        }
        if (failure instanceof ValidatorException invalid) {
            if (aboutBody) {
                return new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body is not valid JSON.");
            }
            return switch (invalid.type()) {
                case MISSING_REQUIRED_PARAMETER, INVALID_VALUE_FORMAT, INVALID_VALUE, ILLEGAL_VALUE, UNSUPPORTED_VALUE_FORMAT ->
                    new QuizException(ErrorCode.VALIDATION_FAILED, invalid.getMessage());
                default -> new QuizException(ErrorCode.INTERNAL_ERROR, "The request could not be checked.");
            };
        }
        if (failure instanceof io.vertx.core.json.DecodeException) {
            return new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body is not valid JSON.");
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /**
     * One error per field (the first the validator gave), in the order the schema declares its
     * properties, so the answer reads like the form it is about.
     */
    private static List<FieldError> fieldErrors(SchemaValidationException schema, List<String> order) {
        List<FieldError> errors = new ArrayList<>();
        collect(schema.getOutputUnit(), parameterName(schema.getMessage()), errors);
        Map<String, FieldError> firstPerField = new java.util.LinkedHashMap<>();
        errors.forEach(error -> firstPerField.putIfAbsent(error.field(), error));
        List<FieldError> result = new ArrayList<>(firstPerField.values());
        result.sort(java.util.Comparator.comparingInt(error -> {
            int position = order.indexOf(error.field().split("\\.")[0]);
            return position < 0 ? Integer.MAX_VALUE : position;
        }));
        return result;
    }

    private static String bodyType(Operation operation) {
        try {
            String type = operation.getRequestBody().getOpenAPIModel().getJsonObject("content")
                .getJsonObject(JSON).getJsonObject("schema").getString("type");
            return type == null ? "value of the documented shape" : type;
        } catch (RuntimeException e) {
            return "value of the documented shape";
        }
    }

    private static List<String> bodyProperties(Operation operation) {
        try {
            JsonObject properties = operation.getRequestBody().getOpenAPIModel()
                .getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("schema").getJsonObject("properties");
            return properties == null ? List.of() : List.copyOf(properties.fieldNames());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static void collect(OutputUnit unit, String parameter, List<FieldError> into) {
        if (unit == null) {
            return;
        }
        List<OutputUnit> children = unit.getErrors();
        if (children != null && !children.isEmpty()) {
            children.forEach(child -> collect(child, parameter, into));
            return;
        }
        if (unit.getError() == null) {
            return;
        }
        String field = fieldOf(unit, parameter);
        into.add(new FieldError(field, unit.getError()));
    }

    private static String fieldOf(OutputUnit unit, String parameter) {
        String location = unit.getInstanceLocation();
        String pointer = location == null ? "" : location.replaceFirst("^#", "");
        if (pointer.isEmpty() || pointer.equals("/")) {
            Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(unit.getError()));
            if (missing.find()) {
                return missing.group(1);
            }
            return parameter != null ? parameter : WHOLE_BODY;
        }
        String field = pointer.substring(1).replace('/', '.');
        return parameter != null ? parameter + "." + field : field;
    }

    /** The parameter a schema failure is about, from messages like "The value of query parameter limit is invalid". */
    private static String parameterName(String message) {
        if (message == null) {
            return null;
        }
        Matcher matcher = PARAMETER_NAME.matcher(message);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static JsonObject parse(Buffer yaml) {
        return new JsonObject(toJsonMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.toString())));
    }

    private static Buffer readResource(String name) {
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toJsonMap(Object parsed) {
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalStateException("the document is not a YAML mapping");
        }
        // Keys such as response codes ('200') must be strings in JSON.
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        map.forEach((key, value) -> result.put(String.valueOf(key), toJsonValue(value)));
        return result;
    }

    private static Object toJsonValue(Object value) {
        if (value instanceof Map<?, ?>) {
            return toJsonMap(value);
        }
        if (value instanceof List<?> list) {
            // Mutable: the schema repository rewrites the document while resolving references.
            return list.stream().map(ApiContract::toJsonValue).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        }
        return value;
    }
}
