/*
 * Runs Apache Iceberg's REST catalog (the request handling of org.apache.iceberg.rest.RESTCatalogServer)
 * on one interface. The stock server binds every interface with SO_REUSEPORT; the local provider
 * wants 127.0.0.1 only. Run as a single source file, no build step:
 *
 *   java -cp '.cache/jvm/catalog/*' compose/jvm/LoopbackRestCatalog.java
 *
 * Configuration is the server's own: CATALOG_* environment variables (CATALOG_REST_PORT for the
 * port), plus CATALOG_BIND_HOST (default 127.0.0.1).
 *
 * The listening socket is bound once, to the requested interface. An earlier version let the stock
 * server bind 0.0.0.0 (with SO_REUSEPORT) and then re-bound the connector to 127.0.0.1: on one CI
 * machine the re-bound port refused every connection for a minute although the log said
 * "listening". Nothing here re-binds, and no other process can share the port.
 */
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

public class LoopbackRestCatalog {
  public static void main(String[] args) throws Exception {
    String host = System.getenv().getOrDefault("CATALOG_BIND_HOST", "127.0.0.1");
    int port = Integer.parseInt(System.getenv().getOrDefault("CATALOG_REST_PORT", "8181"));
    Map<String, String> config = new TreeMap<>();
    // The same env → property mapping as RESTCatalogServer: drop the prefix, "__" → "-", "_" → "."
    System.getenv().forEach((key, value) -> {
      if (key.startsWith("CATALOG_") && !key.equals("CATALOG_BIND_HOST")) {
        String name = key.substring("CATALOG_".length()).replace("__", "-").replace("_", ".");
        config.put(name.toLowerCase(Locale.ROOT), value);
      }
    });

    // The server's own catalog set-up and request adapter (credentials included), reached by
    // reflection because the server offers no way to choose the interface before it binds.
    Class<?> serverClass = Class.forName("org.apache.iceberg.rest.RESTCatalogServer");
    Constructor<?> serverConstructor = serverClass.getDeclaredConstructor(Map.class);
    serverConstructor.setAccessible(true);
    Object server = serverConstructor.newInstance(config);
    Method initialize = serverClass.getDeclaredMethod("initializeBackendCatalog");
    initialize.setAccessible(true);
    Object context = initialize.invoke(server);
    Class<?> adapterClass = Class.forName("org.apache.iceberg.rest.RESTServerCatalogAdapter");
    Constructor<?> adapterConstructor = adapterClass.getDeclaredConstructor(context.getClass());
    adapterConstructor.setAccessible(true);
    RESTCatalogAdapter adapter = (RESTCatalogAdapter) adapterConstructor.newInstance(context);

    ServletContextHandler handler = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    handler.addServlet(new ServletHolder(new RESTCatalogServlet(adapter)), "/*");
    handler.insertHandler(new GzipHandler());
    Server jetty = new Server(new InetSocketAddress(host, port));
    jetty.setHandler(handler);
    jetty.start();
    System.out.println("LoopbackRestCatalog: listening on " + host + ":" + port);
    jetty.join();
  }
}
