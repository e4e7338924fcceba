package dev.vigil.benchmarks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The asynchronous cycle of a {@link BenchRequest}: keeps the listeners and tells them when {@link
 * #complete()} is called, on the calling thread, as a container does once the response is done.
 */
final class BenchAsyncContext implements AsyncContext {
  private final BenchRequest request;
  private final ServletResponse response;
  private final List<AsyncListener> listeners = new ArrayList<>();
  private boolean completed;

  BenchAsyncContext(BenchRequest request, ServletResponse response) {
    this.request = request;
    this.response = response;
  }

  boolean completed() {
    return completed;
  }

  @Override
  public ServletRequest getRequest() {
    return request;
  }

  @Override
  public ServletResponse getResponse() {
    return response;
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return true;
  }

  @Override
  public void dispatch() {
    throw new UnsupportedOperationException("the benchmark completes, never re-dispatches");
  }

  @Override
  public void dispatch(String path) {
    dispatch();
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    dispatch();
  }

  @Override
  public void complete() {
    completed = true;
    AsyncEvent event = new AsyncEvent(this, request, response);
    for (AsyncListener listener : List.copyOf(listeners)) {
      try {
        listener.onComplete(event);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void start(Runnable run) {
    run.run();
  }

  @Override
  public void addListener(AsyncListener listener) {
    listeners.add(listener);
  }

  @Override
  public void addListener(
      AsyncListener listener, ServletRequest request, ServletResponse response) {
    listeners.add(listener);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> type) {
    throw new UnsupportedOperationException("not used by the filter");
  }

  @Override
  public void setTimeout(long timeout) {}

  @Override
  public long getTimeout() {
    return 0;
  }
}
