package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.config.ConfigLoader;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack ({@code docker/compose.yaml}) and the Kubernetes manifests ({@code deploy/k8s})
 * parse, and what they name exists and agrees: node services and cluster members, ports (node HTTP,
 * load balancer, probes, Prometheus targets, Hazelcast), labels and selectors, ConfigMaps and
 * Secrets, mounted files, and every variable set for a node is one the node reads. Neither is run
 * here (no container engine, no Kubernetes cluster): these are the mistakes that would stop them.
 * No kubectl either: the kustomizations are read file by file.
 */
class DeployFilesTest {
    private static final Path ROOT = OpsFiles.ROOT;
    private static final Path COMPOSE = ROOT.resolve("docker/compose.yaml");
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)");
    private static final Pattern LOGBACK_VARIABLE = Pattern.compile("\\$\\{(QUIZ_[A-Z0-9_]+)");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^\\s*server\\s+([\\w.-]+):(\\d+)");
    private static final Pattern NGINX_LISTEN = Pattern.compile("(?m)^\\s*listen\\s+(\\d+);");
    private static final Pattern NGINX_INCLUDE = Pattern.compile("(?m)^\\s*include\\s+(\\S+);");
    /** How long Main lets a drain run after SIGTERM (docs/cluster.md, section 4). */
    private static final int DRAIN_SECONDS = 60;

    // ---- the variables a node reads ----

    /** Every QUIZ_* variable the node reads: one per key of config/application.json, plus those read directly. */
    static Set<String> nodeVariables() {
        Set<String> names = new TreeSet<>();
        JsonObject defaults = ConfigLoader.load(Map.of());
        for (String section : defaults.fieldNames()) {
            for (String key : defaults.getJsonObject(section).fieldNames()) {
                names.add(ConfigLoader.variableFor(section, key));
            }
        }
        names.add(ConfigLoader.CONFIG_FILE_VARIABLE);
        // logback.xml reads QUIZ_LOG_LEVEL and QUIZ_LOG_FORMAT (Main checks the latter at start).
        Matcher logback = LOGBACK_VARIABLE.matcher(read(ROOT.resolve("config/logback.xml")));
        while (logback.find()) {
            names.add(logback.group(1));
        }
        return names;
    }

    @Test
    void theVariablesANodeReadsIncludeTheOnesItIsKnownBy() {
        assertThat(nodeVariables()).contains("QUIZ_NODE_ID", "QUIZ_LOG_FORMAT", "QUIZ_LOG_LEVEL", "QUIZ_AUTH_ADMIN_PASSWORD",
            "QUIZ_CLUSTER_KUBERNETES_SERVICE_DNS", "QUIZ_STORAGE_POSTGRES_URI", "QUIZ_HTTP_PORT")
            .doesNotContain("QUIZ_HTTP", "QUIZ_NODE");
    }

    // ---- compose ----

    @Test
    void composeRunsThreeClusteredNodesThatListEachOtherAndReadOnlyTheirOwnVariables() {
        Map<String, Map<String, Object>> nodes = composeNodes();
        assertThat(nodes).as("services built from docker/Dockerfile").hasSize(3);
        Set<String> known = nodeVariables();
        for (Map.Entry<String, Map<String, Object>> node : nodes.entrySet()) {
            Map<String, String> env = environment(node.getValue());
            assertThat(known).as("variables the node reads, for those %s sets", node.getKey()).containsAll(env.keySet());
            assertThat(env.get("QUIZ_NODE_ID")).as("%s's node id", node.getKey()).isEqualTo(node.getKey());
            assertThat(env).containsEntry("QUIZ_CLUSTER_ENABLED", "true").containsEntry("QUIZ_CLUSTER_DISCOVERY", "members")
                .containsEntry("QUIZ_CLUSTER_INTERFACE", "");
            String clusterPort = env.getOrDefault("QUIZ_CLUSTER_PORT", "5701");
            Set<String> members = Set.of(env.get("QUIZ_CLUSTER_MEMBERS").split(","));
            assertThat(members).as("QUIZ_CLUSTER_MEMBERS of %s: every node service on its cluster port", node.getKey())
                .isEqualTo(nodes.keySet().stream().map(n -> n + ":" + clusterPort).collect(Collectors.toSet()));
            assertThat(Integer.parseInt(env.get("QUIZ_CLUSTER_MIN_MEMBERS"))).as("a majority of the nodes")
                .isEqualTo(nodes.size() / 2 + 1);
            assertThat(env.get("QUIZ_STORAGE_POSTGRES_URI")).contains("@postgres:5432/");
            assertThat(env.get("QUIZ_STORAGE_REDIS_URI")).contains("@redis:6379");
            assertThat(composeServices()).containsKeys("postgres", "redis");
            String health = String.join(" ", strings(map(node.getValue().get("healthcheck")).get("test")));
            assertThat(health).as("%s's health check", node.getKey())
                .contains("/health/ready").contains("/127.0.0.1/" + httpPort(env));
            assertThat(seconds((String) node.getValue().get("stop_grace_period")))
                .as("%s's stop grace period leaves its drain (at most %d s) time", node.getKey(), DRAIN_SECONDS)
                .isGreaterThan(DRAIN_SECONDS);
        }
    }

    @Test
    void composeGivesEveryServiceARestartPolicyAHealthCheckAndLimits() {
        for (Map.Entry<String, Map<String, Object>> service : composeServices().entrySet()) {
            Map<String, Object> spec = service.getValue();
            assertThat(spec.get("restart")).as("%s's restart policy", service.getKey()).isEqualTo("unless-stopped");
            assertThat(spec).as("%s's health check", service.getKey()).containsKey("healthcheck");
            Map<String, Object> limits = map(map(map(spec.get("deploy")).get("resources")).get("limits"));
            assertThat(limits).as("%s's resource limits", service.getKey()).containsKeys("cpus", "memory");
        }
    }

    @Test
    void composeMountsOnlyFilesOfTheRepository() {
        for (Map.Entry<String, Map<String, Object>> service : composeServices().entrySet()) {
            for (String volume : strings(service.getValue().getOrDefault("volumes", List.of()))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(COMPOSE.getParent().resolve(source).normalize()).as("%s mounts %s", service.getKey(), source)
                        .isRegularFile();
                }
            }
        }
    }

    @Test
    void composeSecretsComeFromAnEnvFileWhoseExampleHasNoneFilledIn() {
        Map<String, String> example = envFile(ROOT.resolve("docker/.env.example"));
        assertThat(example.values()).as("values in docker/.env.example").allMatch(String::isEmpty);
        Set<String> used = new TreeSet<>();
        Matcher variable = COMPOSE_VARIABLE.matcher(read(COMPOSE));
        while (variable.find()) {
            used.add(variable.group(1));
        }
        assertThat(example.keySet()).as("variables docker/.env.example names").isEqualTo(used)
            .contains("QUIZ_AUTH_JWT_SECRET", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD");
        assertThat(nodeVariables()).containsAll(example.keySet().stream().filter(k -> k.startsWith("QUIZ_")).toList());
        assertThat(read(ROOT.resolve(".gitignore"))).as(".gitignore").contains("docker/.env");
    }

    @Test
    void theLoadBalancerSendsToEveryNodeOnItsHttpPortAndIsTheProxyTheNodesTrust() {
        Map<String, Map<String, Object>> nodes = composeNodes();
        Map<String, Object> lb = composeServices().get("lb");
        Map<String, String> mounts = mounts(lb);
        Set<String> upstream = new TreeSet<>();
        Matcher server = UPSTREAM_SERVER.matcher(read(hostFile(mounts, "/etc/nginx/quiz/upstream.conf")));
        while (server.find()) {
            upstream.add(server.group(1) + ":" + server.group(2));
        }
        assertThat(upstream).as("servers of the nginx upstream").isEqualTo(nodes.entrySet().stream()
            .map(n -> n.getKey() + ":" + httpPort(environment(n.getValue()))).collect(Collectors.toSet()));

        Set<String> included = new TreeSet<>();
        Matcher include = NGINX_INCLUDE.matcher(read(hostFile(mounts, "/etc/nginx/nginx.conf")));
        while (include.find()) {
            included.add(include.group(1));
        }
        assertThat(included).as("files nginx.conf includes, all mounted").isEqualTo(
            Set.of("/etc/nginx/quiz/upstream.conf", "/etc/nginx/quiz/quiz.conf"));

        Matcher listen = NGINX_LISTEN.matcher(read(hostFile(mounts, "/etc/nginx/quiz/quiz.conf")));
        assertThat(listen.find()).as("a listen line in quiz.conf").isTrue();
        assertThat(strings(lb.get("ports"))).as("the port the load balancer publishes")
            .anyMatch(p -> p.endsWith(":" + listen.group(1)));

        String lbAddress = (String) map(map(lb.get("networks")).get("quiz")).get("ipv4_address");
        for (Map.Entry<String, Map<String, Object>> node : nodes.entrySet()) {
            assertThat(environment(node.getValue()).get("QUIZ_HTTP_TRUSTED_PROXIES")).as("%s trusts the load balancer",
                node.getKey()).isEqualTo(lbAddress);
        }
    }

    @Test
    void prometheusInComposeScrapesEveryNodeAndLoadsTheShippedAlerts() {
        Map<String, Map<String, Object>> nodes = composeNodes();
        Map<String, String> mounts = mounts(composeServices().get("prometheus"));
        Path config = hostFile(mounts, "/etc/prometheus/prometheus.yml");
        Map<String, Object> prometheus = yaml(config);
        for (String rules : strings(prometheus.get("rule_files"))) {
            assertThat(mounts).as("rule file %s mounted next to the config", rules).containsKey("/etc/prometheus/" + rules);
            assertThat(hostFile(mounts, "/etc/prometheus/" + rules)).isEqualTo(ROOT.resolve("deploy/prometheus/alerts.yml"));
        }
        Map<String, String> targets = new HashMap<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            for (Object group : list(map(job).get("static_configs"))) {
                String node = (String) map(map(group).get("labels")).get("node");
                strings(map(group).get("targets")).forEach(t -> targets.put(t, node));
            }
        }
        Map<String, String> expected = new HashMap<>();
        nodes.forEach((name, spec) -> expected.put(name + ":" + httpPort(environment(spec)),
            environment(spec).get("QUIZ_NODE_ID")));
        assertThat(targets).as("targets and their node labels").isEqualTo(expected);
        // promtool (Debian's prometheus package, as OpsFilesTest) checks it and the rules it loads.
        OpsFilesTest.assertRuns(List.of(OpsFilesTest.tool("promtool"), "check", "config", config.toString()));
    }

    @Test
    void grafanaInComposeGetsTheShippedDashboardAndADataSourceOnThePrometheusService() {
        Map<String, String> mounts = mounts(composeServices().get("grafana"));
        Map<String, Object> provider = map(list(yaml(hostFile(mounts, "/etc/grafana/provisioning/dashboards/quiz.yml"))
            .get("providers")).get(0));
        String dashboardDir = (String) map(provider.get("options")).get("path");
        assertThat(mounts).as("the dashboard in the provider's directory")
            .containsEntry(dashboardDir + "/quiz.json", "../deploy/grafana/dashboards/quiz.json");
        Map<String, Object> source = map(list(yaml(hostFile(mounts, "/etc/grafana/provisioning/datasources/quiz.yml"))
            .get("datasources")).get(0));
        assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(composeServices()).containsKey("prometheus");
        String dashboard = read(ROOT.resolve("deploy/grafana/dashboards/quiz.json"));
        assertThat(dashboard).as("the dashboard uses the data source's uid").contains("\"" + source.get("uid") + "\"");
    }

    // ---- Kubernetes ----

    @Test
    void theKustomizationsNameOnlyFilesThatExist() {
        for (Path dir : List.of(K8S.resolve("base"), K8S.resolve("overlays/example"))) {
            Map<String, Object> kustomization = yaml(dir.resolve("kustomization.yaml"));
            for (String resource : strings(kustomization.getOrDefault("resources", List.of()))) {
                Path path = dir.resolve(resource).normalize();
                assertThat(Files.isRegularFile(path) || Files.isRegularFile(path.resolve("kustomization.yaml")))
                    .as("resource %s of %s", resource, dir).isTrue();
            }
            for (Object patch : list(kustomization.getOrDefault("patches", List.of()))) {
                assertThat(dir.resolve((String) map(patch).get("path"))).isRegularFile();
            }
            for (Path envFile : generatorFiles(dir).values()) {
                assertThat(Files.isRegularFile(envFile) || Files.isRegularFile(exampleOf(envFile)))
                    .as("%s, or its .example to copy it from", envFile).isTrue();
            }
        }
    }

    @Test
    void theNodesFindEachOtherThroughTheHeadlessServiceOnTheirClusterPort() {
        Map<String, String> env = podEnvironment();
        Map<String, Object> container = nodeContainer();
        assertThat(env).containsEntry("QUIZ_CLUSTER_ENABLED", "true").containsEntry("QUIZ_CLUSTER_DISCOVERY", "kubernetes")
            .containsEntry("QUIZ_CLUSTER_INTERFACE", "");
        String serviceName = env.get("QUIZ_CLUSTER_KUBERNETES_SERVICE_DNS").split("\\.")[0];
        Map<String, Object> headless = service(serviceName);
        Map<String, Object> spec = map(headless.get("spec"));
        assertThat(spec.get("clusterIP")).as("%s is headless", serviceName).isEqualTo("None");
        assertThat(spec.get("publishNotReadyAddresses")).as("%s lists nodes before they are ready", serviceName).isEqualTo(true);
        Map<String, Object> port = map(list(spec.get("ports")).get(0));
        int clusterPort = Integer.parseInt(env.getOrDefault("QUIZ_CLUSTER_PORT", "5701"));
        assertThat(port.get("port")).isEqualTo(clusterPort);
        assertThat(containerPort(container, port.get("targetPort"))).isEqualTo(clusterPort);
        assertThat(Integer.parseInt(env.get("QUIZ_CLUSTER_MIN_MEMBERS"))).as("a majority of the minimum replicas")
            .isEqualTo((Integer) map(kind("HorizontalPodAutoscaler").get("spec")).get("minReplicas") / 2 + 1);
    }

    @Test
    void servicesBudgetAndAutoscalerSelectTheNodesPods() {
        Map<String, Object> deployment = kind("Deployment");
        Map<String, Object> deploymentSpec = map(deployment.get("spec"));
        Map<String, Object> podLabels = map(map(map(deploymentSpec.get("template")).get("metadata")).get("labels"));
        Map<String, Object> selector = map(map(deploymentSpec.get("selector")).get("matchLabels"));
        assertThat(podLabels).as("pod labels include the Deployment's selector").containsAllEntriesOf(selector);
        for (Map<String, Object> service : all("Service")) {
            Map<String, Object> spec = map(service.get("spec"));
            assertThat(podLabels).as("pods selected by Service %s", name(service)).containsAllEntriesOf(map(spec.get("selector")));
            for (Object port : list(spec.get("ports"))) {
                assertThat(containerPort(nodeContainer(), map(port).get("targetPort"))).as("Service %s's target port", name(service))
                    .isPositive();
            }
        }
        Map<String, Object> budget = map(kind("PodDisruptionBudget").get("spec"));
        assertThat(podLabels).as("pods the PodDisruptionBudget covers")
            .containsAllEntriesOf(map(map(budget.get("selector")).get("matchLabels")));
        Map<String, Object> target = map(map(kind("HorizontalPodAutoscaler").get("spec")).get("scaleTargetRef"));
        assertThat(target).containsEntry("kind", "Deployment").containsEntry("name", name(deployment))
            .containsEntry("apiVersion", deployment.get("apiVersion"));
        assertThat(map(nodeContainer().get("resources")).get("requests")).as("CPU requests, which the autoscaler divides by")
            .satisfies(r -> assertThat(map(r)).containsKey("cpu"));
    }

    @Test
    void probesAndScrapeAnnotationsUseTheNodesHttpPort() {
        Map<String, Object> container = nodeContainer();
        int httpPort = httpPort(podEnvironment());
        assertThat(probe(container, "readinessProbe")).isEqualTo("/health/ready:" + httpPort);
        assertThat(probe(container, "livenessProbe")).isEqualTo("/health/live:" + httpPort);
        assertThat(probe(container, "startupProbe")).isEqualTo("/health/live:" + httpPort);
        Map<String, Object> annotations = map(map(map(map(kind("Deployment").get("spec")).get("template")).get("metadata"))
            .get("annotations"));
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
            .containsEntry("prometheus.io/port", Integer.toString(httpPort)).containsEntry("prometheus.io/path", "/metrics");
    }

    @Test
    void aPodIsGivenTheTimeToDrainBeforeItIsKilled() {
        Map<String, Object> podSpec = map(map(map(kind("Deployment").get("spec")).get("template")).get("spec"));
        List<String> preStop = strings(map(map(map(nodeContainer().get("lifecycle")).get("preStop")).get("exec")).get("command"));
        assertThat(preStop.get(0)).isEqualTo("sleep");
        int grace = (Integer) podSpec.get("terminationGracePeriodSeconds");
        assertThat(grace).as("grace period: preStop, then SIGTERM's drain of at most %d s", DRAIN_SECONDS)
            .isGreaterThan(Integer.parseInt(preStop.get(1)) + DRAIN_SECONDS);
        assertThat(map(kind("PodDisruptionBudget").get("spec")).get("maxUnavailable")).as("one node drained at a time")
            .isEqualTo(1);
    }

    @Test
    void everyVariableThePodsGetIsOneTheNodeReadsAndEveryReferenceIsGenerated() {
        Set<String> known = nodeVariables();
        assertThat(known).as("variables the node reads, for those the pods get").containsAll(podEnvironment().keySet());
        Map<String, Path> generated = new HashMap<>(generatorFiles(K8S.resolve("base")));
        generated.putAll(generatorFiles(K8S.resolve("overlays/example")));
        for (Object source : list(nodeContainer().get("envFrom"))) {
            for (String kind : List.of("configMapRef", "secretRef")) {
                if (map(source).containsKey(kind)) {
                    String name = (String) map(map(source).get(kind)).get("name");
                    assertThat(generated).as("%s %s generated by a kustomization", kind, name).containsKey(name);
                }
            }
        }
        Map<String, String> secrets = envFile(exampleOf(generated.get("quiz-secrets")));
        assertThat(secrets.values()).as("values in the secrets example").allMatch(String::isEmpty);
        assertThat(read(ROOT.resolve(".gitignore"))).contains("deploy/k8s/overlays/*/secrets.env");
    }

    @Test
    void theOverlayPatchesAndRetagsWhatTheBaseDefines() {
        Path overlay = K8S.resolve("overlays/example");
        Map<String, Object> kustomization = yaml(overlay.resolve("kustomization.yaml"));
        for (Object patch : list(kustomization.get("patches"))) {
            Map<String, Object> patched = yaml(overlay.resolve((String) map(patch).get("path")));
            Map<String, Object> target = kind((String) patched.get("kind"));
            assertThat(name(target)).as("the patched %s", patched.get("kind")).isEqualTo(name(patched));
            List<Object> containers = list(map(map(map(patched.get("spec")).get("template")).get("spec")).get("containers"));
            for (Object container : containers) {
                assertThat(map(container).get("name")).isEqualTo(nodeContainer().get("name"));
            }
        }
        assertThat(list(kustomization.get("images")).stream().map(i -> map(i).get("name")))
            .containsExactly(nodeContainer().get("image"));
        for (Map<String, Object> store : documents(overlay.resolve("stores.yaml"))) {
            assertThat(map(store.get("spec")).get("type")).isEqualTo("ExternalName");
            assertThat(read(overlay.resolve("secrets.env.example"))).as("the secrets example uses %s", name(store))
                .contains("@" + name(store) + ":");
        }
    }

    // ---- helpers: compose ----

    private static Map<String, Map<String, Object>> composeServices() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(yaml(COMPOSE).get("services")).forEach((name, spec) -> services.put(name, map(spec)));
        return services;
    }

    private static Map<String, Map<String, Object>> composeNodes() {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        composeServices().forEach((name, spec) -> {
            Object build = spec.get("build");
            if (build != null && "docker/Dockerfile".equals(map(build).get("dockerfile"))) {
                nodes.put(name, spec);
            }
        });
        return nodes;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service.get("environment")).forEach((k, v) -> env.put(k, v == null ? "" : v.toString()));
        return env;
    }

    /** A service's bind mounts: where in the container to where in the repository (as written, from docker/). */
    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> mounts = new HashMap<>();
        for (String volume : strings(service.get("volumes"))) {
            String[] parts = volume.split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    private static Path hostFile(Map<String, String> mounts, String containerPath) {
        assertThat(mounts).as("a mount at %s", containerPath).containsKey(containerPath);
        Path file = COMPOSE.getParent().resolve(mounts.get(containerPath)).normalize();
        assertThat(file).isRegularFile();
        return file;
    }

    private static int httpPort(Map<String, String> env) {
        return Integer.parseInt(env.getOrDefault("QUIZ_HTTP_PORT", ConfigLoader.load(Map.of()).getJsonObject("http")
            .getInteger("port").toString()));
    }

    private static long seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    // ---- helpers: Kubernetes ----

    private static List<Map<String, Object>> baseDocuments() {
        List<Map<String, Object>> documents = new ArrayList<>();
        Path base = K8S.resolve("base");
        for (String resource : strings(yaml(base.resolve("kustomization.yaml")).get("resources"))) {
            documents.addAll(documents(base.resolve(resource)));
        }
        return documents;
    }

    private static List<Map<String, Object>> all(String kind) {
        return baseDocuments().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> kind(String kind) {
        List<Map<String, Object>> found = all(kind);
        assertThat(found).as("one %s in deploy/k8s/base", kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> service(String name) {
        return all("Service").stream().filter(s -> name.equals(name(s))).findFirst()
            .orElseThrow(() -> new AssertionError("no Service " + name + " in deploy/k8s/base"));
    }

    private static String name(Map<String, Object> resource) {
        return (String) map(resource.get("metadata")).get("name");
    }

    private static Map<String, Object> nodeContainer() {
        List<Object> containers = list(map(map(map(kind("Deployment").get("spec")).get("template")).get("spec")).get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    /** What the node container's environment holds: its env, and the keys of the files its ConfigMaps and Secrets come from. */
    private static Map<String, String> podEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Path> generated = new HashMap<>(generatorFiles(K8S.resolve("base")));
        generated.putAll(generatorFiles(K8S.resolve("overlays/example")));
        for (Object source : list(nodeContainer().get("envFrom"))) {
            for (Object ref : map(source).values()) {
                Path file = generated.get((String) map(ref).get("name"));
                assertThat(file).as("a generator for %s", ref).isNotNull();
                env.putAll(envFile(Files.isRegularFile(file) ? file : exampleOf(file)));
            }
        }
        for (Object variable : list(nodeContainer().get("env"))) {
            Object value = map(variable).get("value");
            env.put((String) map(variable).get("name"), value == null ? "(from " + map(variable).get("valueFrom") + ")" : value.toString());
        }
        return env;
    }

    /** ConfigMaps and Secrets a kustomization generates, by name, to the env file each is made from. */
    private static Map<String, Path> generatorFiles(Path dir) {
        Map<String, Object> kustomization = yaml(dir.resolve("kustomization.yaml"));
        Map<String, Path> files = new HashMap<>();
        for (String generator : List.of("configMapGenerator", "secretGenerator")) {
            for (Object entry : list(kustomization.getOrDefault(generator, List.of()))) {
                List<String> envs = strings(map(entry).get("envs"));
                assertThat(envs).as("%s %s is made from one env file", generator, map(entry).get("name")).hasSize(1);
                files.put((String) map(entry).get("name"), dir.resolve(envs.get(0)));
            }
        }
        return files;
    }

    private static int containerPort(Map<String, Object> container, Object port) {
        for (Object declared : list(container.get("ports"))) {
            if (port.equals(map(declared).get("name")) || port.equals(map(declared).get("containerPort"))) {
                return (Integer) map(declared).get("containerPort");
            }
        }
        throw new AssertionError("the node container declares no port " + port);
    }

    private static String probe(Map<String, Object> container, String probe) {
        Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
        return get.get("path") + ":" + containerPort(container, get.get("port"));
    }

    private static Path exampleOf(Path envFile) {
        return envFile.resolveSibling(envFile.getFileName() + ".example");
    }

    // ---- helpers: files ----

    private static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            assertThat(trimmed).as("a KEY=value line of %s", file).contains("=");
            values.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
        }
        return values;
    }

    private static Map<String, Object> yaml(Path file) {
        List<Map<String, Object>> documents = documents(file);
        assertThat(documents).as("documents in %s", file).hasSize(1);
        return documents.get(0);
    }

    private static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(read(file))) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).as("a mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).as("a list").isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(Object::toString).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
