package org.quizengine.engine.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quizengine.api.http.ApiContract;
import org.quizengine.shared.ErrorCode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code openapi.yaml} as the REST fuzz reads it: each operation with its parameters and body
 * schema, and what it may answer: the statuses it documents and, per status, the error codes its
 * description names; plus the answers the document's introduction allows any {@code /api/v1}
 * operation ("Any operation under /api/v1 may also answer: - 400 `MALFORMED_MESSAGE` ...").
 * The {@code default} response is not counted: it describes the shape of an error, not which.
 */
final class FuzzDocument {
    private static final Pattern CODE = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\\b");
    private static final Pattern GLOBAL_ANSWER = Pattern.compile("(?m)^- (\\d{3}) `([A-Z_]+)`");
    private static final Set<String> ERROR_CODES = new TreeSet<>();

    static {
        for (ErrorCode code : ErrorCode.values()) {
            ERROR_CODES.add(code.name());
        }
    }

    private final Map<String, Object> root;
    final List<Operation> operations = new ArrayList<>();
    /** Status to code, from the introduction's list of answers any operation under /api/v1 may give. */
    final Map<Integer, String> globalAnswers = new LinkedHashMap<>();

    /** One path + method. */
    record Operation(String id, String method, String path, List<Map<String, Object>> parameters,
                     Map<String, Object> jsonBody, Set<String> bodyTypes, boolean needsToken, String requiredRole,
                     Map<Integer, Set<String>> codesByStatus, Set<Integer> jsonSuccess) {
        boolean documents(int status) {
            return codesByStatus.containsKey(status);
        }

        String name() {
            return method + " " + path;
        }
    }

    FuzzDocument() {
        root = load();
        String intro = String.valueOf(map(root.get("info")).get("description"));
        Matcher global = GLOBAL_ANSWER.matcher(intro);
        while (global.find()) {
            globalAnswers.put(Integer.parseInt(global.group(1)), global.group(2));
        }
        boolean tokenByDefault = root.get("security") instanceof List<?> security && !security.isEmpty();
        map(root.get("paths")).forEach((path, item) -> {
            Map<String, Object> pathItem = map(item);
            List<Map<String, Object>> shared = parameters(pathItem.get("parameters"));
            pathItem.forEach((method, value) -> {
                if (method.equals("parameters") || !(value instanceof Map<?, ?>)) {
                    return;
                }
                operations.add(operation(path, method.toUpperCase(), map(value), shared, tokenByDefault));
            });
        });
    }

    private Operation operation(String path, String method, Map<String, Object> model,
                                List<Map<String, Object>> shared, boolean tokenByDefault) {
        List<Map<String, Object>> parameters = new ArrayList<>(shared);
        parameters.addAll(parameters(model.get("parameters")));
        Map<String, Object> jsonBody = null;
        Set<String> bodyTypes = new LinkedHashSet<>();
        if (model.get("requestBody") != null) {
            Map<String, Object> content = map(resolve(map(model.get("requestBody"))).get("content"));
            bodyTypes.addAll(content.keySet());
            if (content.get("application/json") != null) {
                jsonBody = schema(map(content.get("application/json")).get("schema"));
            }
        }
        boolean needsToken = model.get("security") instanceof List<?> own ? !own.isEmpty() : tokenByDefault;
        Map<Integer, Set<String>> codes = new LinkedHashMap<>();
        Set<Integer> jsonSuccess = new LinkedHashSet<>();
        map(model.get("responses")).forEach((status, value) -> {
            if (status.equals("default")) {
                return;
            }
            Map<String, Object> response = resolve(map(value));
            int code = Integer.parseInt(status);
            codes.put(code, errorCodes(String.valueOf(response.get("description"))));
            if (code < 300 && response.get("content") instanceof Map<?, ?> content && content.containsKey("application/json")) {
                jsonSuccess.add(code);
            }
        });
        Object role = model.get(ApiContract.REQUIRED_ROLE);
        return new Operation(String.valueOf(model.get("operationId")), method, path, parameters, jsonBody, bodyTypes,
            needsToken, role == null ? null : role.toString(), codes, jsonSuccess);
    }

    /** The error codes a description names (words that are codes of {@link ErrorCode}). */
    static Set<String> errorCodes(String description) {
        Set<String> codes = new TreeSet<>();
        Matcher matcher = CODE.matcher(description);
        while (matcher.find()) {
            if (ERROR_CODES.contains(matcher.group())) {
                codes.add(matcher.group());
            }
        }
        return codes;
    }

    static Set<String> union(Set<String> one, Set<String> other) {
        Set<String> both = new TreeSet<>(one);
        both.addAll(other);
        return both;
    }

    /** The named component schema, resolved. */
    Map<String, Object> component(String name) {
        return schema(map(map(map(root.get("components")).get("schemas")).get(name)));
    }

    /**
     * A schema with its {@code $ref} resolved and an {@code allOf} merged into one object schema
     * (properties and required of every part), which is all the request bodies here use.
     */
    Map<String, Object> schema(Object value) {
        Map<String, Object> schema = resolve(map(value));
        if (!(schema.get("allOf") instanceof List<?> parts)) {
            return schema;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        List<Object> required = new ArrayList<>();
        for (Object part : parts) {
            Map<String, Object> resolved = schema(part);
            merged.putAll(resolved);
            properties.putAll(map(resolved.get("properties")));
            if (resolved.get("required") instanceof List<?> names) {
                required.addAll(names);
            }
        }
        merged.remove("allOf");
        merged.put("type", "object");
        merged.put("properties", properties);
        merged.put("required", required);
        return merged;
    }

    /**
     * The operation a request for {@code rawPath} with {@code method} reaches, as the gate finds it:
     * the path normalised as Vert.x does (unreserved characters decoded, dot segments removed), a
     * literal segment preferred to a template. Null: no described path; an operation whose method
     * differs: the path is described, the method is not.
     */
    Operation route(String method, String rawPath) {
        String[] segments = normalize(rawPath).split("/", -1);
        Operation best = null;
        int bestLiterals = -1;
        for (Operation operation : operations) {
            String[] template = operation.path.split("/", -1);
            int literals = matches(template, segments);
            boolean better = literals > bestLiterals
                || (literals == bestLiterals && best != null && !best.method.equals(method) && operation.method.equals(method));
            if (literals >= 0 && better) {
                best = operation;
                bestLiterals = literals;
            }
        }
        if (best == null || best.method.equals(method)) {
            return best;
        }
        for (Operation operation : operations) {
            if (operation.path.equals(best.path) && operation.method.equals(method)) {
                return operation;
            }
        }
        return best;
    }

    /** How many literal segments of {@code template} match {@code segments}, or -1 if it does not match. */
    private static int matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{");
            if (parameter ? segments[i].isEmpty() : !template[i].equals(segments[i])) {
                return -1;
            }
            literals += parameter ? 0 : 1;
        }
        return literals;
    }

    /** As Vert.x's {@code normalizedPath()}: unreserved escapes decoded, dot segments and empty segments removed. */
    static String normalize(String rawPath) {
        StringBuilder decoded = new StringBuilder();
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%' && i + 2 < rawPath.length() && isHex(rawPath.charAt(i + 1)) && isHex(rawPath.charAt(i + 2))) {
                char value = (char) Integer.parseInt(rawPath.substring(i + 1, i + 3), 16);
                if (Character.isLetterOrDigit(value) && value < 128 || "-._~".indexOf(value) >= 0) {
                    decoded.append(value);
                    i += 2;
                    continue;
                }
            }
            decoded.append(c);
        }
        Deque<String> kept = new ArrayDeque<>();
        String[] parts = decoded.toString().split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            if (parts[i].equals("..")) {
                kept.pollLast();
                if (last) {
                    kept.add("");
                }
            } else if (parts[i].isEmpty() && !last) {
                continue; // "//" is read as "/"
            } else if (parts[i].equals(".")) {
                if (last) {
                    kept.add("");
                }
            } else {
                kept.add(parts[i]);
            }
        }
        return "/" + String.join("/", kept);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Whether {@code uri} has a '%' not followed by two hexadecimal digits. */
    static boolean hasMalformedEscape(String uri) {
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private List<Map<String, Object>> parameters(Object value) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> {
                Map<String, Object> parameter = new LinkedHashMap<>(resolve(map(item)));
                parameter.put("schema", schema(parameter.get("schema")));
                result.add(parameter);
            });
        }
        return result;
    }

    private Map<String, Object> resolve(Map<String, Object> value) {
        Map<String, Object> current = value;
        while (current.get("$ref") instanceof String ref) {
            Object target = root;
            for (String part : ref.substring(2).split("/")) {
                target = map(target).get(part);
            }
            current = map(target);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        Map<Object, Object> raw = (Map<Object, Object>) value;
        Map<String, Object> result = new LinkedHashMap<>();
        raw.forEach((key, item) -> result.put(String.valueOf(key), item));
        return result;
    }

    private static Map<String, Object> load() {
        try (InputStream in = FuzzDocument.class.getClassLoader().getResourceAsStream(ApiContract.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ApiContract.RESOURCE + " is not on the class path");
            }
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
