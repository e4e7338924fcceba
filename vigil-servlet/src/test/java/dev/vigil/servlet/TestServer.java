package dev.vigil.servlet;

import dev.vigil.http.HttpInstrumentation;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.LongConsumer;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.MDC;

/**
 * A real Jetty 12 (ee10) application under the context path {@code /shop}, with the servlet
 * mappings the contract does not cover: a prefix mapping whose literal part looks like an id, an
 * extension mapping, a route the application names, wrapped exceptions, an exception after the
 * response is committed, and an error page that shows what the container handed it. {@code advance}
 * moves the test's ticker, so durations are exact.
 */
final class TestServer implements AutoCloseable {
  static final String CONTEXT = "/shop";

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
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
    context.addServlet(new ServletHolder(new Api()), "/2024/*");
    context.addServlet(new ServletHolder(new Csv()), "*.csv");
    context.addServlet(new ServletHolder(new Boom()), "/boom/*");
    context.addServlet(new ServletHolder(new ErrorPage()), "/error");
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(500, "/error");
    context.setErrorHandler(errors);
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
  }

  /**
   * 200 for everything; {@code .../missing/..} answers 404, the bare mapping answers 404, and
   * {@code .../reports/..} names its route.
   */
  private final class Api extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      took(5);
      String info = request.getPathInfo();
      if (info == null || info.equals("/") || info.startsWith("/missing/")) {
        response.sendError(404);
        return;
      }
      if (info.startsWith("/reports/")) {
        request.setAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/reports/{name}");
      }
      response.getWriter().write("ok");
    }
  }

  private final class Csv extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/csv");
      response.getWriter().write("a,b\n");
    }
  }

  /** {@code /boom/wrapped} throws a wrapped exception; {@code /boom/late} throws after a flush. */
  private final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      took(100);
      if ("/late".equals(request.getPathInfo())) {
        response.getWriter().write("partial");
        response.flushBuffer();
        throw new IllegalStateException("failed after the response was committed");
      }
      throw new ServletException("wrapped", new IllegalStateException("payment gateway down"));
    }
  }

  /** Shows what the container put in the error attributes, as an application's error page would. */
  private static final class ErrorPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      response
          .getWriter()
          .write(
              "error page: "
                  + request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)
                  + " "
                  + (error == null ? "no exception" : error.toString()));
    }
  }
}
