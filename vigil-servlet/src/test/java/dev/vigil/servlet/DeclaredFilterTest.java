package dev.vigil.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Monitoring;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Scrape;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The filter declared by class name, as in {@code web.xml}: the container creates it, and it finds
 * the {@link Monitoring} in the servlet context.
 */
class DeclaredFilterTest {

  @Test
  void filterCreatedByTheContainerFindsMonitoringAndReadsIgnorePaths() throws Exception {
    try (Monitoring monitoring =
        Monitoring.builder("legacy")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start()) {
      Server server = server(monitoring, "/ping, /static/*");
      try {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        Http.get("http://127.0.0.1:" + port + "/orders/17");
        Http.get("http://127.0.0.1:" + port + "/ping");
        Http.get("http://127.0.0.1:" + port + "/static/app.js");

        Scrape scrape = Scrape.of(monitoring.metricsAddress());
        assertThat(scrape.samples("http_requests_total"))
            .singleElement()
            .satisfies(
                s -> {
                  assertThat(s.labels())
                      .containsEntry("route", "/orders/{id}")
                      .containsEntry("service", "legacy");
                  assertThat(s.value()).isEqualTo(1.0);
                });
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void filterWithoutMonitoringInTheContextStopsTheContextFromStartingWithTheFix() {
    assertThatThrownBy(() -> server(null, null))
        .hasStackTraceContaining(
            "VigilServletFilter found no Monitoring in the servlet context attribute"
                + " 'dev.vigil.Monitoring'. Set it from a ServletContextListener before filters"
                + " start, or register the filter programmatically with"
                + " VigilServletFilter.create(monitoring).");
  }

  private static Server server(Monitoring monitoring, String ignorePaths) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    if (monitoring != null) {
      context.setAttribute(VigilServletFilter.MONITORING_ATTRIBUTE, monitoring);
    }
    FilterHolder holder =
        context.addFilter(VigilServletFilter.class, "/*", VigilServletFilter.dispatcherTypes());
    if (ignorePaths != null) {
      holder.setInitParameter("ignorePaths", ignorePaths);
    }
    context.addServlet(Ok.class, "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      server.stop(); // release the port of a server that failed to start
      throw e;
    }
    return server;
  }

  /** Answers 200 to everything. */
  public static final class Ok extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.getWriter().write("ok");
    }
  }
}
