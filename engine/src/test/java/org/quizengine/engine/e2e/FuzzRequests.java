package org.quizengine.engine.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.quizengine.engine.e2e.FuzzDocument.Operation;

/**
 * Requests for one operation of {@link FuzzDocument}, drawn from a seeded {@link Random}: values
 * that fit the operation's parameter and body schemas, then at most one mutation of them (a wrong
 * type, a missing or extra field, huge or odd numbers and strings, unicode and control characters,
 * percent-encoding garbage, bodies that are empty, not JSON, of the wrong shape or deeply nested,
 * a wrong content type...), sent with one of the kinds of {@link Credential}.
 */
final class FuzzRequests {
    /** What the Authorization header holds. */
    enum Credential { NONE, GARBAGE, EXPIRED, FORGED, FOREIGN_CLAIMS, REVOKED, DISABLED, PLAYER, MODERATOR, ADMIN }

    enum Mutation {
        VALID, WRONG_TYPE, MISSING_REQUIRED, EXTRA_FIELD, HUGE_STRING, ODD_NUMBER, UNICODE, PATH_GARBAGE,
        QUERY_GARBAGE, DUPLICATE_QUERY, EMPTY_BODY, NOT_JSON, WRONG_TOP_LEVEL, DEEP_NESTING, WRONG_CONTENT_TYPE,
        BODY_WHERE_NONE, OTHER_METHOD
    }

    /** A request as sent: the raw request target, headers in order, and the body bytes (null: none). */
    record Request(String method, String uri, List<Map.Entry<String, String>> headers, byte[] body,
                   Credential credential, Mutation mutation, String note) {
        String describe() {
            String shown = body == null ? "(no body)" : new String(body, StandardCharsets.UTF_8);
            if (shown.length() > 300) {
                shown = shown.substring(0, 300) + "...(" + body.length + " bytes)";
            }
            return method + " " + (uri.length() > 300 ? uri.substring(0, 300) + "..." : uri) + " [" + credential + ", "
                + mutation + (note.isEmpty() ? "" : ": " + note) + "] headers=" + headers + " body=" + shown;
        }
    }

    /** Values that exist on the node under test, so that some requests get past "not found". */
    record Known(String playerUsername, String spareSessionId, String victimUserId, List<String> refreshTokens,
                 String loginName, String loginPassword) {
    }

    /** A JSON fragment written as it is (numbers JSON cannot hold in a long, lone surrogate escapes...). */
    record Raw(String json) {
    }

    private static final String[] PERCENT_GARBAGE = {"%", "%zz", "%00", "%C3%28", "%ED%A0%80", "%2F", "%2e%2e", "%%",
        "a%", "%g0", "%FF%FE", "%25", "%0A", "%5C"};
    private static final String[] ODD_STRINGS = {"", " ", "\u0000", "a\u0000b", "\u0007bell", "\t\n\r", "\u202Eevil",
        "\u200B", "\uFEFF", "\uD83D\uDE00", "e\u0301", "\u00e9", "\u4e2d\u6587", "\uD800", "\uDC00x",
        "'; drop table users; --", "<script>", "../../etc/passwd", "null", "true", "-1", "1e999", "%00", "\\"};
    private static final String[] ODD_NUMBERS = {"-1", "0", "-0", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999", "1e308", "1e999", "-1e999",
        "1.5", "0.0000001", "1E2", "4294967296"};
    private static final String[] CONTENT_TYPES = {"text/plain", "application/xml", "application/json; charset=latin1",
        "application/json; charset=utf-16", "APPLICATION/JSON", "application/json;charset=\"UTF-8\"",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/csv", "application/*",
        "application/json; charset=", "application/problem+json", "json", "%%%", ";", "application/json, text/plain"};
    private static final String[] BOARDS = {"all", "week", "day", "previous-week", "previous-day"};

    private final Random random;
    private final FuzzDocument document;
    private final Known known;

    FuzzRequests(Random random, FuzzDocument document, Known known) {
        this.random = random;
        this.document = document;
        this.known = known;
    }

    Request next(Operation operation) {
        Draft draft = valid(operation, mutation(operation), credential(operation));
        mutate(draft);
        return draft.build();
    }

    /**
     * One request per string parameter and per body member of {@code operation}, each holding
     * U+0000 in that value alone (an array member: in its first item), sent with a credential that
     * gets in. PostgreSQL's text cannot hold the character, so it finds any value that reaches the
     * database unchecked, which random mutations hit only now and then.
     */
    List<Request> withNul(Operation operation) {
        String nul = "a\u0000b";
        List<Request> requests = new ArrayList<>();
        for (Map<String, Object> parameter : operation.parameters()) {
            String name = String.valueOf(parameter.get("name"));
            Draft draft = valid(operation, Mutation.UNICODE, entering(operation));
            if ("path".equals(parameter.get("in"))) {
                draft.path.put(name, encode(nul));
            } else {
                draft.query.removeIf(entry -> entry.getKey().equals(name));
                draft.query.add(Map.entry(name, encode(nul)));
            }
            draft.note = name + "=" + encode(nul);
            requests.add(draft.build());
        }
        if (operation.jsonBody() != null) {
            for (Map.Entry<String, Object> property : bodyProperties(operation).entrySet()) {
                Draft draft = valid(operation, Mutation.UNICODE, entering(operation));
                boolean array = "array".equals(FuzzDocument.map(property.getValue()).get("type"));
                setField(draft, property.getKey(), array ? List.of(nul, "b") : nul);
                requests.add(draft.build());
            }
        }
        return requests;
    }

    /** A request that fits {@code operation}'s schemas, to be mutated. */
    private Draft valid(Operation operation, Mutation mutation, Credential credential) {
        Draft draft = new Draft(operation, mutation, credential);
        for (Map<String, Object> parameter : operation.parameters()) {
            String name = String.valueOf(parameter.get("name"));
            Object value = value(name, FuzzDocument.map(parameter.get("schema")), 0);
            boolean include = "path".equals(parameter.get("in")) || Boolean.TRUE.equals(parameter.get("required"))
                || random.nextBoolean();
            if (!include) {
                continue;
            }
            if ("path".equals(parameter.get("in"))) {
                draft.path.put(name, encode(String.valueOf(value)));
            } else {
                draft.query.add(Map.entry(name, encode(String.valueOf(value))));
            }
        }
        if (operation.jsonBody() != null) {
            draft.body = value("", operation.jsonBody(), 0);
            draft.contentType = "application/json";
        } else if (!operation.bodyTypes().isEmpty()) {
            draft.rawBody = "category,difficulty,text,option1,option2,correct\nscience,easy,Fuzz " + random.nextInt() + "?,a,b,1\n";
            draft.contentType = "text/csv";
        }
        return draft;
    }

    private Mutation mutation(Operation operation) {
        if (random.nextInt(4) == 0) {
            return Mutation.VALID; // these reach the handlers
        }
        boolean hasBody = !operation.bodyTypes().isEmpty();
        boolean hasPathParameter = operation.path().contains("{");
        while (true) {
            Mutation mutation = pick(Mutation.values());
            boolean fits = switch (mutation) {
                case WRONG_TYPE, MISSING_REQUIRED, EXTRA_FIELD, EMPTY_BODY, NOT_JSON, WRONG_TOP_LEVEL, DEEP_NESTING,
                     WRONG_CONTENT_TYPE -> hasBody;
                case BODY_WHERE_NONE -> !hasBody;
                case PATH_GARBAGE -> hasPathParameter;
                case VALID, HUGE_STRING, ODD_NUMBER, UNICODE, QUERY_GARBAGE, DUPLICATE_QUERY, OTHER_METHOD -> true;
            };
            if (fits) {
                return mutation;
            }
        }
    }

    private Credential credential(Operation operation) {
        // Mostly a credential that gets in, so the rest of the request is what is tested.
        return random.nextInt(3) == 0 ? pick(Credential.values()) : entering(operation);
    }

    /** The least credential that gets into {@code operation}. */
    private Credential entering(Operation operation) {
        if ("admin".equals(operation.requiredRole())) {
            return Credential.ADMIN;
        }
        if ("moderator".equals(operation.requiredRole())) {
            return random.nextBoolean() ? Credential.MODERATOR : Credential.ADMIN;
        }
        return operation.needsToken() ? Credential.PLAYER : Credential.NONE;
    }

    // ---- values that fit a schema ----

    private Object value(String name, Map<String, Object> schema, int depth) {
        Object known = knownValue(name);
        if (known != null && random.nextInt(4) > 0) {
            return known;
        }
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.get(random.nextInt(values.size()));
        }
        String type = String.valueOf(schema.getOrDefault("type", schema.containsKey("properties") ? "object" : ""));
        switch (type) {
            case "string":
                return string(name, schema);
            case "integer":
                long min = number(schema.get("minimum"), 0);
                long max = number(schema.get("maximum"), min + 100);
                return min + (long) (random.nextDouble() * (max - min + 1));
            case "number":
                return random.nextDouble();
            case "boolean":
                return random.nextBoolean();
            case "array":
                return array(name, schema, depth);
            case "object":
                return object(schema, depth);
            default:
                // items: {} of an import: each item "shaped as QuestionCreate".
                return depth < 3 ? object(document.component("QuestionCreate"), depth) : "x";
        }
    }

    private List<Object> array(String name, Map<String, Object> schema, int depth) {
        int min = (int) number(schema.get("minItems"), 1);
        int max = (int) Math.min(number(schema.get("maxItems"), min + 3), min + 3);
        int size = min + random.nextInt(max - min + 1);
        List<Object> items = new ArrayList<>();
        Map<String, Object> itemSchema = FuzzDocument.map(schema.get("items"));
        for (int i = 0; i < size; i++) {
            items.add(name.equals("options") ? "Option " + i + " " + random.nextInt(1000) : value(name, itemSchema, depth + 1));
        }
        return items;
    }

    private Map<String, Object> object(Map<String, Object> schema, int depth) {
        Map<String, Object> result = new LinkedHashMap<>();
        List<?> required = schema.get("required") instanceof List<?> list ? list : List.of();
        FuzzDocument.map(schema.get("properties")).forEach((property, propertySchema) -> {
            if (required.contains(property) || random.nextBoolean()) {
                result.put(property, value(property, document.schema(propertySchema), depth + 1));
            }
        });
        if (result.get("correctOption") instanceof Long && result.get("options") instanceof List<?> options) {
            result.put("correctOption", (long) random.nextInt(options.size()));
        }
        return result;
    }

    private String string(String name, Map<String, Object> schema) {
        int min = (int) number(schema.get("minLength"), 1);
        int max = (int) Math.min(number(schema.get("maxLength"), 24), 40);
        String pattern = String.valueOf(schema.get("pattern"));
        if (pattern.contains("@")) {
            return "fuzz" + random.nextInt(1_000_000) + "@example.test";
        }
        if (pattern.contains("[Hh][Tt]")) {
            return "https://cdn.example.com/" + random.nextInt(1000) + ".png";
        }
        if ("date-time".equals(schema.get("format")) || name.equals("from") || name.equals("to")) {
            return random.nextBoolean() ? "2026-11-" + (10 + random.nextInt(20)) : "2026-11-30T12:00:00Z";
        }
        StringBuilder text = new StringBuilder();
        int length = Math.max(min, Math.min(max, 3 + random.nextInt(10)));
        boolean anyText = !schema.containsKey("pattern");
        String alphabet = anyText && random.nextBoolean() ? "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789"
            : "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString().trim().isEmpty() ? "x" + text : text.toString().trim();
    }

    /** A UUID from the seeded random, so a replayed run asks for the same ids. */
    private String randomUuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** A value of the node under test for a parameter or property of this name, or null. */
    private Object knownValue(String name) {
        switch (name) {
            case "board":
                return pick(BOARDS);
            case "category":
                return random.nextBoolean() ? "science" : "history";
            case "id":
                return random.nextBoolean() ? Integer.toString(1 + random.nextInt(40)) : "science";
            case "matchId":
                return randomUuid();
            case "userId":
                return random.nextBoolean() ? known.victimUserId() : randomUuid();
            case "sessionId":
                return random.nextBoolean() ? known.spareSessionId() : randomUuid();
            case "username":
                return random.nextBoolean() ? known.playerUsername() : null;
            case "refreshToken":
                return known.refreshTokens().get(random.nextInt(known.refreshTokens().size()));
            case "login":
                return random.nextBoolean() ? known.loginName() : null;
            case "password":
                return random.nextBoolean() ? known.loginPassword() : null;
            case "version":
                return (long) 1 + random.nextInt(3);
            default:
                return null;
        }
    }

    // ---- mutations ----

    private void mutate(Draft draft) {
        switch (draft.mutation) {
            case VALID:
                return;
            case WRONG_TYPE:
                replaceAField(draft, pick(new Object[] {42L, "text", true, null, List.of(1, 2), Map.of("a", 1), new Raw("1.5")}));
                return;
            case MISSING_REQUIRED:
                if (draft.body instanceof Map<?, ?> body && !body.isEmpty()) {
                    List<?> required = draft.operation.jsonBody().get("required") instanceof List<?> list ? list : List.of();
                    Object removed = required.isEmpty() ? pickKey(body) : required.get(random.nextInt(required.size()));
                    body.remove(removed);
                    draft.note = "without " + removed;
                } else if (draft.body instanceof List<?> rows && !rows.isEmpty() && rows.get(0) instanceof Map<?, ?> row) {
                    draft.note = "row 1 without " + row.remove(pickKey(row));
                }
                return;
            case EXTRA_FIELD:
                if (draft.body instanceof Map<?, ?>) {
                    asMap(draft.body).put(pick(new String[] {"role", "email", "id", "admin", "__proto__", "extra"}), "x");
                }
                return;
            case HUGE_STRING:
                hugeString(draft);
                return;
            case ODD_NUMBER:
                oddNumber(draft);
                return;
            case UNICODE:
                unicode(draft);
                return;
            case PATH_GARBAGE:
                String parameter = pickKey(draft.path);
                String garbage = random.nextInt(3) == 0 ? pick(new String[] {"..", ".", "not-a-uuid", "-1", "0", "1.5",
                    "99999999999999999999", "%20", "a%2Fb", "x".repeat(300), "%E2%82%AC", "%F0%9F%98%80"})
                    : pick(PERCENT_GARBAGE);
                draft.path.put(parameter, garbage);
                draft.note = parameter + "=" + garbage;
                return;
            case QUERY_GARBAGE:
                String name = draft.query.isEmpty() || random.nextBoolean() ? pick(new String[] {"limit", "x", "%", "", "a b"})
                    : draft.query.get(random.nextInt(draft.query.size())).getKey();
                String value = pick(PERCENT_GARBAGE);
                draft.query.add(Map.entry(name, random.nextInt(4) == 0 ? value + "&" + value : value));
                draft.note = name + "=" + value;
                return;
            case DUPLICATE_QUERY:
                if (draft.query.isEmpty()) {
                    draft.query.add(Map.entry("limit", "1"));
                }
                Map.Entry<String, String> twice = draft.query.get(random.nextInt(draft.query.size()));
                draft.query.add(Map.entry(twice.getKey(), random.nextBoolean() ? twice.getValue() : "2"));
                draft.note = "twice " + twice.getKey();
                return;
            case EMPTY_BODY:
                draft.body = null;
                draft.rawBody = random.nextBoolean() ? "" : null;
                if (random.nextBoolean()) {
                    draft.contentType = null;
                }
                return;
            case NOT_JSON:
                draft.rawBody = pick(new String[] {"{", "}", "abc", "<xml/>", "{\"a\":}", "[1,]", "{'a':1}", "\u0000",
                    "{\"a\":1}{\"b\":2}", "NaN", "undefined", "{\"password\":\"x\",}", "\uFEFF{}", "--", "\"unterminated"});
                draft.rawBytes = random.nextInt(5) == 0 ? new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'} : null;
                return;
            case WRONG_TOP_LEVEL:
                draft.body = pick(new Object[] {List.of(), List.of(Map.of()), "string", 42L, new Raw("null"), true, new Raw("1e999")});
                return;
            case DEEP_NESTING:
                int depth = pick(new Integer[] {100, 1000, 2000, 5000});
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                draft.rawBody = open.repeat(depth) + "1" + close.repeat(depth);
                draft.note = depth + " deep";
                return;
            case WRONG_CONTENT_TYPE:
                draft.contentType = pick(CONTENT_TYPES);
                return;
            case BODY_WHERE_NONE:
                draft.body = Map.of("a", 1);
                draft.contentType = random.nextBoolean() ? "application/json" : "text/plain";
                return;
            case OTHER_METHOD:
                draft.method = pick(new String[] {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"});
                return;
            default:
                throw new IllegalStateException("Unhandled mutation " + draft.mutation);
        }
    }

    private void hugeString(Draft draft) {
        int length = pick(new Integer[] {129, 300, 5_000, 17_000, 1_100_000});
        String huge = "a".repeat(length);
        draft.note = length + " characters";
        if (length > 100_000) {
            draft.rawBody = "[\"" + huge + "\"]"; // over every body limit, the import's 1 MiB too
            draft.contentType = "application/json";
            return;
        }
        if (draft.body != null && random.nextBoolean() && replaceAField(draft, huge)) {
            return;
        }
        // In the request target at most 3,000 characters: a request line over the server's 4,096 is
        // refused by the HTTP codec before any route, which is not what this looks at.
        String inTarget = "a".repeat(Math.min(length, 3_000));
        if (!draft.query.isEmpty() && (draft.path.isEmpty() || random.nextBoolean())) {
            int index = random.nextInt(draft.query.size());
            draft.query.set(index, Map.entry(draft.query.get(index).getKey(), inTarget));
        } else if (!draft.path.isEmpty()) {
            draft.path.put(pickKey(draft.path), inTarget);
        } else {
            draft.query.add(Map.entry("q", inTarget));
        }
    }

    private void oddNumber(Draft draft) {
        String number = pick(ODD_NUMBERS);
        if ((random.nextBoolean() || draft.body == null) && !(draft.query.isEmpty() && draft.path.isEmpty())) {
            if (!draft.query.isEmpty() && (draft.path.isEmpty() || random.nextBoolean())) {
                int index = random.nextInt(draft.query.size());
                draft.query.set(index, Map.entry(draft.query.get(index).getKey(), number));
                draft.note = draft.query.get(index).getKey() + "=" + number;
            } else {
                String parameter = pickKey(draft.path);
                draft.path.put(parameter, number);
                draft.note = parameter + "=" + number;
            }
            return;
        }
        replaceAField(draft, new Raw(number));
    }

    private void unicode(Draft draft) {
        // U+0000 a third of the time: text columns cannot hold it, so it finds what reaches them unchecked.
        String text = random.nextInt(3) == 0 ? "a\u0000b" : pick(ODD_STRINGS);
        if (draft.body instanceof Map<?, ?> && random.nextBoolean()) {
            // Escaped in the JSON text, so a lone surrogate arrives as one.
            StringBuilder escaped = new StringBuilder("\"");
            text.chars().forEach(c -> escaped.append(String.format("\\u%04x", c)));
            replaceAField(draft, new Raw(escaped.append('"').toString()));
            return;
        }
        if (draft.body instanceof Map<?, ?> && random.nextBoolean()) {
            replaceAField(draft, text);
            return;
        }
        String encoded = encode(text);
        if (!draft.path.isEmpty() && random.nextBoolean()) {
            draft.path.put(pickKey(draft.path), encoded);
        } else {
            String name = draft.query.isEmpty() ? "q" : draft.query.get(random.nextInt(draft.query.size())).getKey();
            draft.query.add(Map.entry(name, encoded));
        }
        draft.note = "'" + encoded + "'";
    }

    /** Sets a random member of the JSON body (of its first row, for an array of rows) to {@code value}. */
    private boolean replaceAField(Draft draft, Object value) {
        if (draft.operation.jsonBody() == null) {
            return false;
        }
        List<String> names = new ArrayList<>(bodyProperties(draft.operation).keySet());
        return setField(draft, names.get(random.nextInt(names.size())), value);
    }

    /** Sets member {@code name} of the JSON body (of its first row, for an array of rows) to {@code value}. */
    private static boolean setField(Draft draft, String name, Object value) {
        Map<String, Object> target = null;
        if (draft.body instanceof Map<?, ?>) {
            target = asMap(draft.body);
        } else if (draft.body instanceof List<?> rows && !rows.isEmpty() && rows.get(0) instanceof Map<?, ?>) {
            target = asMap(rows.get(0));
        }
        if (target == null) {
            return false;
        }
        target.put(name, value);
        draft.note = name + "=" + (value instanceof String text && text.length() > 40 ? text.length() + " chars" : value);
        return true;
    }

    /** The members of the operation's JSON body: of each row, for an import ("shaped as QuestionCreate"). */
    private Map<String, Object> bodyProperties(Operation operation) {
        Map<String, Object> properties = FuzzDocument.map(operation.jsonBody().get("properties"));
        return properties.isEmpty() ? FuzzDocument.map(document.component("QuestionCreate").get("properties")) : properties;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <K> K pickKey(Map<K, ?> map) {
        List<K> keys = new ArrayList<>(map.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private static long number(Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, as UTF-8. */
    static String encode(String text) {
        StringBuilder result = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                result.append(c);
            } else {
                result.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return result.toString();
    }

    /** The request being built; mutations edit it. */
    private static final class Draft {
        final Operation operation;
        final Mutation mutation;
        final Credential credential;
        String method;
        final Map<String, String> path = new LinkedHashMap<>();
        final List<Map.Entry<String, String>> query = new ArrayList<>();
        Object body;
        String rawBody;
        byte[] rawBytes;
        String contentType;
        String note = "";

        Draft(Operation operation, Mutation mutation, Credential credential) {
            this.operation = operation;
            this.mutation = mutation;
            this.credential = credential;
            this.method = operation.method();
        }

        Request build() {
            String uri = operation.path();
            for (Map.Entry<String, String> value : path.entrySet()) {
                uri = uri.replace("{" + value.getKey() + "}", value.getValue());
            }
            StringBuilder target = new StringBuilder(uri);
            for (int i = 0; i < query.size(); i++) {
                target.append(i == 0 ? '?' : '&').append(encodeName(query.get(i).getKey())).append('=').append(query.get(i).getValue());
            }
            byte[] bytes = rawBytes != null ? rawBytes
                : rawBody != null ? rawBody.getBytes(StandardCharsets.UTF_8)
                : body != null ? JsonText.write(body).getBytes(StandardCharsets.UTF_8) : null;
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (contentType != null && bytes != null || mutation == Mutation.EMPTY_BODY && contentType != null) {
                headers.add(Map.entry("Content-Type", contentType));
            }
            return new Request(method, target.toString(), headers, bytes, credential, mutation, note);
        }

        private static String encodeName(String name) {
            // Garbage names are sent as they are; real names need no encoding.
            return name.contains("%") ? name : encode(name);
        }
    }

    /** JSON text with full control over what is written: {@link Raw} fragments go in as they are. */
    static final class JsonText {
        private JsonText() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Raw raw) {
                out.append(raw.json());
            } else if (value instanceof String text) {
                out.append('"');
                for (char c : text.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ",");
                    write(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                    first = false;
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(list.get(i), out);
                }
                out.append(']');
            } else {
                out.append(value);
            }
        }
    }
}
