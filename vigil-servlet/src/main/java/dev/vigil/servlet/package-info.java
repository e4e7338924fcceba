/**
 * HTTP metrics, request ids and error reports for Jakarta Servlet 6 containers: {@link
 * dev.vigil.servlet.VigilServletFilter}.
 */
@NullMarked
package dev.vigil.servlet;

import org.jspecify.annotations.NullMarked;
