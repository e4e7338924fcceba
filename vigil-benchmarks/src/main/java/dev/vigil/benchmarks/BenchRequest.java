package dev.vigil.benchmarks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;
import java.util.HashMap;
import java.util.Map;

/**
 * The few answers the filter asks a request for, held in fields, as a container would have them
 * after parsing: method, URI, context path, one header, attributes, the servlet mapping, and an
 * asynchronous cycle once the application starts one.
 */
final class BenchRequest extends StubRequest {
  private final String method;
  private final String uri;
  private final Map<String, Object> attributes = new HashMap<>();
  private final Map<String, String> headers = new HashMap<>();
  private final HttpServletMapping mapping;
  private BenchAsyncContext async;

  BenchRequest(String method, String uri, String servletPattern) {
    this.method = method;
    this.uri = uri;
    this.mapping =
        new HttpServletMapping() {
          @Override
          public String getMatchValue() {
            return uri.substring(1);
          }

          @Override
          public String getPattern() {
            return servletPattern;
          }

          @Override
          public String getServletName() {
            return "app";
          }

          @Override
          public MappingMatch getMappingMatch() {
            return MappingMatch.PATH;
          }
        };
  }

  BenchRequest header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  BenchRequest attribute(String name, Object value) {
    attributes.put(name, value);
    return this;
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getRequestURI() {
    return uri;
  }

  @Override
  public String getContextPath() {
    return "";
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name);
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public HttpServletMapping getHttpServletMapping() {
    return mapping;
  }

  @Override
  public AsyncContext startAsync() {
    return startAsync(this, null);
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    async = new BenchAsyncContext(this, response);
    return async;
  }

  @Override
  public boolean isAsyncStarted() {
    return async != null && !async.completed();
  }

  @Override
  public boolean isAsyncSupported() {
    return true;
  }

  @Override
  public AsyncContext getAsyncContext() {
    if (async == null) {
      throw new IllegalStateException("no asynchronous cycle started");
    }
    return async;
  }
}
