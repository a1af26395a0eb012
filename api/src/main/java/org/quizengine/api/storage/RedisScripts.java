package org.quizengine.api.storage;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs Lua scripts in Redis by their SHA-1 ({@code EVALSHA}), sending a script's text only when
 * Redis does not know it yet (first use, or after a restart): scripts that run on every request
 * are not parsed again each time.
 */
public final class RedisScripts {
    private static final Map<String, String> SHA1 = new ConcurrentHashMap<>();

    private RedisScripts() {
    }

    /** Runs {@code script}; {@code keysAndArgs} is the key count, the keys, then the arguments, as EVAL takes them. */
    public static Future<Response> run(RedisAPI redis, String script, List<String> keysAndArgs) {
        List<String> evalsha = new ArrayList<>(keysAndArgs.size() + 1);
        evalsha.add(sha1Hex(script));
        evalsha.addAll(keysAndArgs);
        return redis.evalsha(evalsha).recover(failure -> {
            if (failure.getMessage() == null || !failure.getMessage().startsWith("NOSCRIPT")) {
                return Future.failedFuture(failure);
            }
            List<String> eval = new ArrayList<>(keysAndArgs.size() + 1);
            eval.add(script);
            eval.addAll(keysAndArgs);
            return redis.eval(eval);
        });
    }

    private static String sha1Hex(String script) {
        return SHA1.computeIfAbsent(script, text -> {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
            }
        });
    }
}
