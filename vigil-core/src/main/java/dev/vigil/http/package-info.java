/**
 * HTTP server metrics: {@code http_requests_total} and {@code http_request_duration_seconds} by
 * method, route template and status code, request ids in the log context, and unhandled errors
 * reported through {@code handleError}.
 *
 * <p>{@link dev.vigil.http.VigilHttpServerFilter} instruments the JDK's {@code
 * com.sun.net.httpserver}; the {@code vigil-servlet} module instruments Jakarta Servlet containers
 * and the {@code vigil-spring-boot-starter} module Spring Boot. All share {@link
 * dev.vigil.http.HttpInstrumentation} and {@link dev.vigil.http.RouteNormalizer}.
 */
@NullMarked
package dev.vigil.http;

import org.jspecify.annotations.NullMarked;
