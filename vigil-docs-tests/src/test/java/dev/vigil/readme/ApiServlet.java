package dev.vigil.readme;

import jakarta.servlet.http.HttpServlet;

/** Stands in for the reader's own servlet in the README's setup snippets. */
public class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
}
