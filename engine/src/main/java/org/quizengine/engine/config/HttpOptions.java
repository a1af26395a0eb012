package org.quizengine.engine.config;

/** Where the node listens, and how large a REST body may be. */
public record HttpOptions(String host, int port, int maxBodyBytes) {
    public static final int DEFAULT_PORT = 8080;

    static HttpOptions from(Section http) {
        return new HttpOptions(http.string("host"), http.intIn("port", 0, 65535), http.intIn("maxBodyBytes", 1024, 16_777_216));
    }
}
