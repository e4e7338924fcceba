package dev.vigil.benchmarks;

/** A response that keeps its status and drops headers and body. */
final class BenchResponse extends StubResponse {
  private int status = 200;

  @Override
  public void setStatus(int status) {
    this.status = status;
  }

  @Override
  public int getStatus() {
    return status;
  }
}
