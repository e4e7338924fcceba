package dev.vigil.servlet;

import dev.vigil.Monitoring;
import dev.vigil.testkit.http.HttpAdapterContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The HTTP-adapter contract on embedded Tomcat 10.1, set up as a new user would: a context, its
 * servlets, and the filter added by {@link VigilServletFilter#addTo} from a container initializer.
 * Tomcat maps no servlet to unmapped paths, so {@code addTo} adds one that answers 404. Tomcat logs
 * through java.util.logging; the test routes it into SLF4J with {@code jul-to-slf4j}, as the README
 * shows, so that the contract sees Tomcat's own lines.
 */
class TomcatContractTest extends HttpAdapterContract {

  @Override
  protected Application start(Setup setup) throws Exception {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Monitoring monitoring = ContractMonitoring.start(setup);
    Path base = Files.createTempDirectory("vigil-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("/shop", null);
    ContractServlets.register(
        (name, servlet, async, mapping) -> {
          Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
          wrapper.setAsyncSupported(async);
          context.addServletMappingDecoded(mapping, name);
        },
        setup.probe());
    VigilServletFilter filter = ContractMonitoring.filter(monitoring, setup);
    context.addServletContainerInitializer(
        (classes, servletContext) -> filter.addTo(servletContext), null);
    tomcat.start();
    return new Application(
        URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop"),
        ContractMonitoring.metrics(monitoring),
        () -> {
          try {
            tomcat.stop();
            tomcat.destroy();
          } finally {
            monitoring.close();
            SLF4JBridgeHandler.uninstall();
          }
        });
  }
}
