package org.quizengine.bench.servers;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Nodes that run somewhere else ({@code --url}); the harness reads their metrics and stops nothing. */
public final class RemoteNodes implements Target {
    private final List<String> urls;
    private final Optional<StoreUris> stores;

    public RemoteNodes(List<String> urls, Optional<StoreUris> stores) {
        this.urls = urls.stream().map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url).toList();
        this.stores = stores;
    }

    @Override
    public String describe() {
        return urls.size() + " running node(s) at " + String.join(", ", urls);
    }

    @Override
    public List<String> urls() {
        return urls;
    }

    @Override
    public List<Server> servers() {
        return IntStream.range(0, urls.size()).mapToObj(i -> Server.remote("node-" + (i + 1), urls.get(i))).toList();
    }

    @Override
    public Optional<StoreUris> stores() {
        return stores;
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.empty();
    }

    @Override
    public void close() {
        // Not started here, not stopped here.
    }
}
