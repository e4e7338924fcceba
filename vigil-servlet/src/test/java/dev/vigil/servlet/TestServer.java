package dev.vigil.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.MDC;

/**
 * A real Jetty 12 (ee10) application under the context path {@code /shop}, with the filter in front
 * of a few servlets. {@code advance} moves the test's ticker, so durations are exact.
 */
final class TestServer implements AutoCloseable {
  static final String CONTEXT = "/shop";

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final ExecutorService async = Executors.newSingleThreadExecutor();
  private final LongConsumer advance;
  volatile String requestIdSeen;

  TestServer(VigilServletFilter filter, LongConsumer advance) throws Exception {
    this.advance = advance;
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(CONTEXT);
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    context.addServlet(new ServletHolder(new Api()), "/api/*");
    context.addServlet(new ServletHolder(new Boom()), "/boom");
    context.addServlet(new ServletHolder(new Hello()), "/health");
    ServletHolder asyncHolder = new ServletHolder(new Async());
    asyncHolder.setAsyncSupported(true);
    context.addServlet(asyncHolder, "/async/*");
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", VigilServletFilter.dispatcherTypes());
    server.setHandler(context);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + CONTEXT + path;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    } finally {
      async.shutdownNow();
    }
  }

  private void took(long millis) {
    advance.accept(millis * 1_000_000L);
  }

  private final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      requestIdSeen = MDC.get("requestId");
      took(20);
      response.getWriter().write("hello");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      took(40);
      request.getInputStream().readAllBytes();
      response.setStatus(201);
    }
  }

  /** {@code /api/*}: 200 for everything, except {@code /api/missing/..}, which answers 404. */
  private final class Api extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      took(5);
      if (request.getPathInfo() != null && request.getPathInfo().startsWith("/missing/")) {
        response.sendError(404);
        return;
      }
      if (request.getPathInfo() != null && request.getPathInfo().startsWith("/reports/")) {
        request.setAttribute(
            dev.vigil.http.HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/reports/{name}");
      }
      response.getWriter().write("ok");
    }
  }

  private final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws ServletException {
      requestIdSeen = MDC.get("requestId");
      took(100);
      throw new ServletException("wrapped", new IllegalStateException("payment gateway down"));
    }
  }

  /**
   * {@code /async/ok} completes on another thread with 202 after 1.5 s of ticker time; {@code
   * /async/fail} re-dispatches, and the re-dispatch throws.
   */
  private final class Async extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        requestIdSeen = MDC.get("requestId");
        throw new IllegalArgumentException("async work failed");
      }
      AsyncContext context = request.startAsync();
      boolean fail = "/fail".equals(request.getPathInfo());
      async.execute(
          () -> {
            took(1500);
            if (fail) {
              context.dispatch();
              return;
            }
            ((HttpServletResponse) context.getResponse()).setStatus(202);
            context.complete();
          });
    }
  }
}
