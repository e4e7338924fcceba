package dev.vigil.readme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/** Stands in for the reader's own handler of the JDK server in the README's setup snippets. */
public class UsersHandler implements HttpHandler {
  @Override
  public void handle(HttpExchange exchange) {}
}
