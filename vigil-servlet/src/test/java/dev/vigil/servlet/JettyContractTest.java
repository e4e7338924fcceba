package dev.vigil.servlet;

import dev.vigil.Monitoring;
import dev.vigil.testkit.http.HttpAdapterContract;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The HTTP-adapter contract on Jetty 12 (ee10), the filter registered with a FilterHolder. */
class JettyContractTest extends HttpAdapterContract {

  @Override
  protected Application start(Setup setup) throws Exception {
    Monitoring monitoring = ContractMonitoring.start(setup);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/shop");
    ContractServlets.register(
        (name, servlet, async, mapping) -> {
          ServletHolder holder = new ServletHolder(name, servlet);
          holder.setAsyncSupported(async);
          context.addServlet(holder, mapping);
        },
        setup.probe());
    FilterHolder filter = new FilterHolder(ContractMonitoring.filter(monitoring, setup));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", VigilServletFilter.dispatcherTypes());
    server.setHandler(context);
    server.start();
    return new Application(
        URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop"),
        ContractMonitoring.metrics(monitoring),
        () -> {
          try {
            server.stop();
          } finally {
            monitoring.close();
          }
        });
  }
}
