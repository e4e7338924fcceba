package dev.vigil.benchmarks;

/** An {@code HttpServletResponse} that ignores everything: the base of the benchmark's response. */
@SuppressWarnings("deprecation")
class StubResponse implements jakarta.servlet.http.HttpServletResponse {
  @Override
  public void addCookie(jakarta.servlet.http.Cookie a0) {}

  @Override
  public void addDateHeader(String a0, long a1) {}

  @Override
  public void addHeader(String a0, String a1) {}

  @Override
  public void addIntHeader(String a0, int a1) {}

  @Override
  public boolean containsHeader(String a0) {
    return false;
  }

  @Override
  public String encodeRedirectURL(String a0) {
    return null;
  }

  @Override
  public String encodeURL(String a0) {
    return null;
  }

  @Override
  public void flushBuffer() throws java.io.IOException {}

  @Override
  public int getBufferSize() {
    return 0;
  }

  @Override
  public String getCharacterEncoding() {
    return null;
  }

  @Override
  public String getContentType() {
    return null;
  }

  @Override
  public String getHeader(String a0) {
    return null;
  }

  @Override
  public java.util.Collection<String> getHeaderNames() {
    return null;
  }

  @Override
  public java.util.Collection<String> getHeaders(String a0) {
    return null;
  }

  @Override
  public java.util.Locale getLocale() {
    return null;
  }

  @Override
  public jakarta.servlet.ServletOutputStream getOutputStream() throws java.io.IOException {
    return null;
  }

  @Override
  public int getStatus() {
    return 0;
  }

  @Override
  public java.io.PrintWriter getWriter() throws java.io.IOException {
    return null;
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void reset() {}

  @Override
  public void resetBuffer() {}

  @Override
  public void sendError(int a0) throws java.io.IOException {}

  @Override
  public void sendError(int a0, String a1) throws java.io.IOException {}

  @Override
  public void sendRedirect(String a0) throws java.io.IOException {}

  @Override
  public void setBufferSize(int a0) {}

  @Override
  public void setCharacterEncoding(String a0) {}

  @Override
  public void setContentLength(int a0) {}

  @Override
  public void setContentLengthLong(long a0) {}

  @Override
  public void setContentType(String a0) {}

  @Override
  public void setDateHeader(String a0, long a1) {}

  @Override
  public void setHeader(String a0, String a1) {}

  @Override
  public void setIntHeader(String a0, int a1) {}

  @Override
  public void setLocale(java.util.Locale a0) {}

  @Override
  public void setStatus(int a0) {}
}
