package dev.vigil.servlet;

import dev.vigil.testkit.http.HttpAdapterContract.Probe;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The HTTP-adapter contract's application as plain servlets, mapped as a servlet application maps
 * them: exact mappings, prefix mappings for the paths with ids, and no servlet for anything else,
 * so that each container's own handling of unmapped requests is what the filter sees.
 */
final class ContractServlets {
  /** Where the servlets are registered: each container has its own API for it. */
  interface Registry {
    void add(String name, HttpServlet servlet, boolean async, String mapping);
  }

  private ContractServlets() {}

  static void register(Registry registry, Probe probe) {
    registry.add("hello", new Hello(probe), false, "/hello");
    registry.add("users", new Users(probe), false, "/users/*");
    registry.add("missing", new Status(404), false, "/missing");
    registry.add("unavailable", new Status(503), false, "/unavailable");
    registry.add("boom", new Boom(probe), false, "/boom");
    registry.add("async", new Async(probe), true, "/async/*");
    registry.add("async-fail", new AsyncFail(probe), true, "/async-fail/*");
    registry.add("health", new Status(200), false, "/health");
  }

  private static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Probe probe;

    Hello(Probe probe) {
      this.probe = probe;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      probe.took(20);
      response.getWriter().write("hello");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.getInputStream().readAllBytes();
      probe.took(40);
      response.setStatus(201);
    }
  }

  private static final class Users extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Probe probe;

    Users(Probe probe) {
      this.probe = probe;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      probe.took(5);
      response.getWriter().write("user " + request.getPathInfo());
    }
  }

  /** Answers one status: a 404 or 503 sent by a matched route. */
  private static final class Status extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final int status;

    Status(int status) {
      this.status = status;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (status == 404) {
        response.sendError(404);
      } else {
        response.setStatus(status);
        response.getWriter().write("status " + status);
      }
    }
  }

  private static final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Probe probe;

    Boom(Probe probe) {
      this.probe = probe;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
      probe.took(100);
      throw new IllegalStateException("payment gateway down");
    }
  }

  /** Completes on another thread with 202 after 1.5 s of ticker time. */
  private static final class Async extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Probe probe;

    Async(Probe probe) {
      this.probe = probe;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext context = request.startAsync();
      probe.later(
          () -> {
            probe.took(1500);
            ((HttpServletResponse) context.getResponse()).setStatus(202);
            context.complete();
          });
    }
  }

  /** Re-dispatches from another thread; the re-dispatch throws. */
  private static final class AsyncFail extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Probe probe;

    AsyncFail(Probe probe) {
      this.probe = probe;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        throw new IllegalArgumentException("async work failed");
      }
      AsyncContext context = request.startAsync();
      probe.later(context::dispatch);
    }
  }
}
