/*
 * Runs Apache Iceberg's REST catalog server (org.apache.iceberg.rest.RESTCatalogServer) bound to
 * one interface. The server itself always binds every interface; the local provider wants
 * 127.0.0.1 only. Run as a single source file, no build step:
 *
 *   java -cp '.cache/jvm/catalog/*' compose/jvm/LoopbackRestCatalog.java
 *
 * Configuration is the server's own: CATALOG_* environment variables (CATALOG_REST_PORT for the
 * port), plus CATALOG_BIND_HOST (default 127.0.0.1).
 */
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public class LoopbackRestCatalog {
  public static void main(String[] args) throws Exception {
    String host = System.getenv().getOrDefault("CATALOG_BIND_HOST", "127.0.0.1");
    Map<String, String> config = new TreeMap<>();
    // The same env → property mapping as RESTCatalogServer: drop the prefix, "__" → "-", "_" → "."
    System.getenv().forEach((key, value) -> {
      if (key.startsWith("CATALOG_") && !key.equals("CATALOG_BIND_HOST")) {
        String name = key.substring("CATALOG_".length()).replace("__", "-").replace("_", ".");
        config.put(name.toLowerCase(Locale.ROOT), value);
      }
    });
    Class<?> serverClass = Class.forName("org.apache.iceberg.rest.RESTCatalogServer");
    Constructor<?> constructor = serverClass.getDeclaredConstructor(Map.class);
    constructor.setAccessible(true);
    Object server = constructor.newInstance(config);
    Method start = serverClass.getMethod("start", boolean.class);
    start.invoke(server, false);

    Field field = serverClass.getDeclaredField("httpServer");
    field.setAccessible(true);
    Server jetty = (Server) field.get(server);
    // Re-bind each connector to the requested interface (the server API offers no hook before start).
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        int port = serverConnector.getLocalPort();
        serverConnector.stop();
        serverConnector.setHost(host);
        serverConnector.setPort(port);
        serverConnector.start();
        System.out.println("LoopbackRestCatalog: listening on " + host + ":" + port);
      }
    }
    jetty.join();
  }
}
