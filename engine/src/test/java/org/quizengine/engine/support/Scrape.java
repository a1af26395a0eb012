package org.quizengine.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's {@code /metrics} text read as Prometheus reads it: each sample's name and labels to its value. */
public final class Scrape {
    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private final Map<String, Double> samples = new HashMap<>();

    /** {@code GET /metrics} of {@code node}, now. */
    public static Scrape of(TestNode node) {
        WebClient client = WebClient.create(node.vertx);
        try {
            HttpResponse<Buffer> response = TestPlayer.await(client.get(node.port(), "localhost", "/metrics").send());
            assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
            return new Scrape(response.bodyAsString());
        } finally {
            client.close();
        }
    }

    public Scrape(String text) {
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                String labels = sample.group(2) == null ? "" : sample.group(2);
                samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
            }
        }
    }

    /** Every sample: its name with its labels as written (e.g. {@code a_total{node="x",code="Y"}}) to its value. */
    public Map<String, Double> samples() {
        return samples;
    }

    /** The metric names (sample names) present. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.keySet().forEach(key -> names.add(key.contains("{") ? key.substring(0, key.indexOf('{')) : key));
        return names;
    }

    /**
     * The sum of the samples named {@code name} whose labels contain every one of {@code labels}
     * (each as written, e.g. {@code code="ALREADY_ANSWERED"}); 0 when there are none.
     */
    public double value(String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            if (!(key.equals(name) || key.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                sum += sample.getValue();
            }
        }
        return sum;
    }
}
