package dev.vigil.sentry.internal;

import dev.vigil.Redactor;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Contexts;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code beforeSend} and {@code beforeBreadcrumb} hooks of a Sentry that Vigil initialised:
 * every event leaves redacted, whoever captured it (Vigil, the SDK's uncaught-exception handler, or
 * the application calling {@code Sentry.captureException}). Redacted are the exception messages,
 * the message, the request (URL, query string, headers, cookies, body, environment), the
 * breadcrumbs, the extras, the map-valued contexts and the tag values.
 */
public final class EventRedaction
    implements SentryOptions.BeforeSendCallback, SentryOptions.BeforeBreadcrumbCallback {
  private final Redactor redactor;

  public EventRedaction(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public SentryEvent execute(SentryEvent event, Hint hint) {
    redactExceptions(event.getExceptions());
    Message message = event.getMessage();
    if (message != null) {
      message.setFormatted(text(message.getFormatted()));
      message.setMessage(text(message.getMessage()));
      List<String> params = message.getParams();
      if (params != null) {
        List<String> safe = new ArrayList<>(params.size());
        for (String param : params) {
          safe.add(redactor.redactText(param));
        }
        message.setParams(safe);
      }
    }
    redactRequest(event.getRequest());
    List<Breadcrumb> breadcrumbs = event.getBreadcrumbs();
    if (breadcrumbs != null) {
      for (Breadcrumb breadcrumb : breadcrumbs) {
        execute(breadcrumb, hint);
      }
    }
    Map<String, Object> extras = event.getExtras();
    if (extras != null && !extras.isEmpty()) {
      event.setExtras(redactor.redact(extras));
    }
    redactContexts(event.getContexts());
    Map<String, String> tags = event.getTags();
    if (tags != null) {
      for (Map.Entry<String, String> tag : new ArrayList<>(tags.entrySet())) {
        event.setTag(
            tag.getKey(),
            redactor.isSensitiveKey(tag.getKey())
                ? Redactor.MASK
                : redactor.redactText(tag.getValue()));
      }
    }
    return event;
  }

  @Override
  public Breadcrumb execute(Breadcrumb breadcrumb, Hint hint) {
    breadcrumb.setMessage(text(breadcrumb.getMessage()));
    Map<String, Object> data = breadcrumb.getData();
    if (data != null && !data.isEmpty()) {
      Map<String, Object> safe = redactor.redact(new LinkedHashMap<>(data));
      for (String key : new ArrayList<>(data.keySet())) {
        breadcrumb.setData(key, safe.get(key));
      }
    }
    return breadcrumb;
  }

  /** Redacts the messages of exceptions built by the SDK or by Vigil. */
  public void redactExceptions(@Nullable List<SentryException> exceptions) {
    if (exceptions != null) {
      for (SentryException exception : exceptions) {
        exception.setValue(text(exception.getValue()));
      }
    }
  }

  private void redactRequest(@Nullable Request request) {
    if (request == null) {
      return;
    }
    request.setUrl(text(request.getUrl()));
    request.setQueryString(text(request.getQueryString()));
    if (request.getCookies() != null) {
      request.setCookies(Redactor.MASK);
    }
    request.setHeaders(strings(request.getHeaders()));
    request.setEnvs(strings(request.getEnvs()));
    request.setOthers(strings(request.getOthers()));
    Object data = request.getData();
    if (data != null) {
      request.setData(redactor.redactValue(data));
    }
  }

  private void redactContexts(Contexts contexts) {
    for (Map.Entry<String, Object> entry : new ArrayList<>(contexts.entrySet())) {
      // The SDK's own contexts (runtime, os, trace, ...) are typed objects without user data.
      if (entry.getValue() instanceof Map) {
        contexts.put(entry.getKey(), redactor.redact((Map<?, ?>) entry.getValue()));
      }
    }
  }

  private @Nullable Map<String, String> strings(@Nullable Map<String, String> values) {
    if (values == null) {
      return null;
    }
    Map<String, String> safe = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      safe.put(
          entry.getKey(),
          redactor.isSensitiveKey(entry.getKey())
              ? Redactor.MASK
              : redactor.redactText(entry.getValue()));
    }
    return safe;
  }

  private @Nullable String text(@Nullable String text) {
    return text == null ? null : redactor.redactText(text);
  }
}
