package searchkit.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One real OpenSearch node, bound to loopback, with the HTTP layer and the common analysers
 * loaded from the classpath (no OpenSearch install, no plugin folder).
 *
 * <p>Usage: {@code java -cp target/classes:target/lib/* searchkit.node.EmbeddedNode
 * --home DIR [--name NAME] [--cluster NAME] [--http-port P] [--transport-port P]
 * [--seeds host:port,...] [--managers name,...] [-Ekey=value ...]}.
 * Without --seeds the node forms a single-node cluster. Once it answers, one line
 * {@code started http://127.0.0.1:PORT} is printed on stdout; the node stops when its
 * standard input closes or on SIGTERM.
 */
public final class EmbeddedNode extends Node {

    private EmbeddedNode(Settings settings, List<Class<? extends Plugin>> plugins) {
        // Node's protected constructor is how OpenSearch's own MockNode passes classpath plugins.
        super(InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null,
                () -> settings.get("node.name")), plugins, true);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder()
                .put("cluster.name", "searchkit")
                .put("node.name", "node-0")
                .put("network.host", "127.0.0.1")
                .put("http.port", "0")
                .put("transport.port", "0")
                // A shared test machine: no swap lock, no ML, a small search thread pool.
                .put("bootstrap.memory_lock", false)
                .put("action.auto_create_index", "false");
        String seeds = null;
        String managers = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-E")) {
                String[] kv = arg.substring(2).split("=", 2);
                if (kv.length != 2) {
                    fail("expected -Ekey=value, got " + arg);
                }
                builder.put(kv[0], kv[1]);
                continue;
            }
            if (i + 1 >= args.length) {
                fail("missing value after " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--home": builder.put("path.home", value); break;
                case "--name": builder.put("node.name", value); break;
                case "--cluster": builder.put("cluster.name", value); break;
                case "--http-port": builder.put("http.port", value); break;
                case "--transport-port": builder.put("transport.port", value); break;
                case "--seeds": seeds = value; break;
                case "--managers": managers = value; break;
                default: fail("unknown option " + arg);
            }
        }
        String home = builder.get("path.home");
        if (home == null) {
            fail("--home DIR is required");
        }
        Files.createDirectories(Path.of(home));
        if (builder.get("path.data") == null) {
            builder.put("path.data", Path.of(home, "data").toString());
        }
        if (builder.get("path.logs") == null) {
            builder.put("path.logs", Path.of(home, "logs").toString());
        }
        if (seeds == null) {
            builder.put("discovery.type", "single-node");
        } else {
            builder.putList("discovery.seed_hosts", seeds.split(","));
            builder.putList("cluster.initial_cluster_manager_nodes",
                    (managers == null ? builder.get("node.name") : managers).split(","));
        }
        Settings settings = builder.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(settings.get("node.name"));
        LogConfigurator.configureWithoutConfig(settings);

        EmbeddedNode node = new EmbeddedNode(settings,
                List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e);
            }
            stopped.countDown();
        }));
        node.start();
        String address = node.injector().getInstance(org.opensearch.http.HttpServerTransport.class)
                .boundAddress().publishAddress().toString();
        System.out.println("started http://" + address);
        System.out.flush();
        // Stop when the parent goes away (its end of our stdin closes).
        while (System.in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }

    private static void fail(String message) {
        System.err.println("opensearch-node: " + message);
        System.exit(2);
    }
}
