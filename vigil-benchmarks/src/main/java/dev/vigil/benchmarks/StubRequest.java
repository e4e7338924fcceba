package dev.vigil.benchmarks;

/**
 * An {@code HttpServletRequest} that answers every call with nothing: the base of the minimal
 * requests the filter benchmark sends through the filter without a container. Subclasses answer the
 * few calls the filter makes.
 */
@SuppressWarnings("deprecation")
class StubRequest implements jakarta.servlet.http.HttpServletRequest {
  @Override
  public boolean authenticate(jakarta.servlet.http.HttpServletResponse a0)
      throws java.io.IOException, jakarta.servlet.ServletException {
    return false;
  }

  @Override
  public String changeSessionId() {
    return null;
  }

  @Override
  public jakarta.servlet.AsyncContext getAsyncContext() {
    return null;
  }

  @Override
  public Object getAttribute(String a0) {
    return null;
  }

  @Override
  public java.util.Enumeration<String> getAttributeNames() {
    return null;
  }

  @Override
  public String getAuthType() {
    return null;
  }

  @Override
  public String getCharacterEncoding() {
    return null;
  }

  @Override
  public int getContentLength() {
    return 0;
  }

  @Override
  public long getContentLengthLong() {
    return 0;
  }

  @Override
  public String getContentType() {
    return null;
  }

  @Override
  public String getContextPath() {
    return null;
  }

  @Override
  public jakarta.servlet.http.Cookie[] getCookies() {
    return null;
  }

  @Override
  public long getDateHeader(String a0) {
    return 0;
  }

  @Override
  public jakarta.servlet.DispatcherType getDispatcherType() {
    return null;
  }

  @Override
  public String getHeader(String a0) {
    return null;
  }

  @Override
  public java.util.Enumeration<String> getHeaderNames() {
    return null;
  }

  @Override
  public java.util.Enumeration<String> getHeaders(String a0) {
    return null;
  }

  @Override
  public jakarta.servlet.ServletInputStream getInputStream() throws java.io.IOException {
    return null;
  }

  @Override
  public int getIntHeader(String a0) {
    return 0;
  }

  @Override
  public String getLocalAddr() {
    return null;
  }

  @Override
  public String getLocalName() {
    return null;
  }

  @Override
  public int getLocalPort() {
    return 0;
  }

  @Override
  public java.util.Locale getLocale() {
    return null;
  }

  @Override
  public java.util.Enumeration<java.util.Locale> getLocales() {
    return null;
  }

  @Override
  public String getMethod() {
    return null;
  }

  @Override
  public String getParameter(String a0) {
    return null;
  }

  @Override
  public java.util.Map<String, String[]> getParameterMap() {
    return null;
  }

  @Override
  public java.util.Enumeration<String> getParameterNames() {
    return null;
  }

  @Override
  public String[] getParameterValues(String a0) {
    return null;
  }

  @Override
  public jakarta.servlet.http.Part getPart(String a0)
      throws java.io.IOException, jakarta.servlet.ServletException {
    return null;
  }

  @Override
  public java.util.Collection<jakarta.servlet.http.Part> getParts()
      throws java.io.IOException, jakarta.servlet.ServletException {
    return null;
  }

  @Override
  public String getPathInfo() {
    return null;
  }

  @Override
  public String getPathTranslated() {
    return null;
  }

  @Override
  public String getProtocol() {
    return null;
  }

  @Override
  public String getProtocolRequestId() {
    return null;
  }

  @Override
  public String getQueryString() {
    return null;
  }

  @Override
  public java.io.BufferedReader getReader() throws java.io.IOException {
    return null;
  }

  @Override
  public String getRemoteAddr() {
    return null;
  }

  @Override
  public String getRemoteHost() {
    return null;
  }

  @Override
  public int getRemotePort() {
    return 0;
  }

  @Override
  public String getRemoteUser() {
    return null;
  }

  @Override
  public jakarta.servlet.RequestDispatcher getRequestDispatcher(String a0) {
    return null;
  }

  @Override
  public String getRequestId() {
    return null;
  }

  @Override
  public String getRequestURI() {
    return null;
  }

  @Override
  public StringBuffer getRequestURL() {
    return null;
  }

  @Override
  public String getRequestedSessionId() {
    return null;
  }

  @Override
  public String getScheme() {
    return null;
  }

  @Override
  public String getServerName() {
    return null;
  }

  @Override
  public int getServerPort() {
    return 0;
  }

  @Override
  public jakarta.servlet.ServletConnection getServletConnection() {
    return null;
  }

  @Override
  public jakarta.servlet.ServletContext getServletContext() {
    return null;
  }

  @Override
  public String getServletPath() {
    return null;
  }

  @Override
  public jakarta.servlet.http.HttpSession getSession() {
    return null;
  }

  @Override
  public jakarta.servlet.http.HttpSession getSession(boolean a0) {
    return null;
  }

  @Override
  public java.security.Principal getUserPrincipal() {
    return null;
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public boolean isAsyncSupported() {
    return false;
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return false;
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return false;
  }

  @Override
  public boolean isSecure() {
    return false;
  }

  @Override
  public boolean isUserInRole(String a0) {
    return false;
  }

  @Override
  public void login(String a0, String a1) throws jakarta.servlet.ServletException {}

  @Override
  public void logout() throws jakarta.servlet.ServletException {}

  @Override
  public void removeAttribute(String a0) {}

  @Override
  public void setAttribute(String a0, Object a1) {}

  @Override
  public void setCharacterEncoding(String a0) throws java.io.UnsupportedEncodingException {}

  @Override
  public jakarta.servlet.AsyncContext startAsync() throws java.lang.IllegalStateException {
    return null;
  }

  @Override
  public jakarta.servlet.AsyncContext startAsync(
      jakarta.servlet.ServletRequest a0, jakarta.servlet.ServletResponse a1)
      throws java.lang.IllegalStateException {
    return null;
  }

  @Override
  public <T extends jakarta.servlet.http.HttpUpgradeHandler> T upgrade(java.lang.Class<T> a0)
      throws java.io.IOException, jakarta.servlet.ServletException {
    return null;
  }
}
