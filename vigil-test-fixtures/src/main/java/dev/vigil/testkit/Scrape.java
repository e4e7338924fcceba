package dev.vigil.testkit;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One scrape of a {@code /metrics} endpoint over real HTTP, parsed by a real parser: the endpoint
 * is asked for the Prometheus protobuf format, which is decoded with the protobuf classes
 * client_java ships. Histograms are expanded into the {@code _bucket}, {@code _sum} and {@code
 * _count} samples Prometheus stores, so assertions use the names PromQL uses.
 *
 * <pre>{@code
 * Scrape scrape = Scrape.of(monitoring.metricsAddress());
 * assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "completion"))
 *     .isEqualTo(1500.0);
 * }</pre>
 */
public final class Scrape {
  public static final String PROTOBUF_ACCEPT =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A sample as Prometheus would store it. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** A family's name, type and help, as exposed. */
  public record Family(String name, String type, String help) {}

  private final List<Sample> samples;
  private final Map<String, Family> families;

  private Scrape(List<Sample> samples, Map<String, Family> families) {
    this.samples = samples;
    this.families = families;
  }

  public static Scrape of(java.net.InetSocketAddress address) {
    return of(URI.create("http://127.0.0.1:" + address.getPort() + "/metrics"), null);
  }

  public static Scrape of(URI uri, @Nullable String bearerToken) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Accept", PROTOBUF_ACCEPT);
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + uri + " answered " + response.statusCode());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Parses delimited protobuf {@code MetricFamily} messages. */
  public static Scrape parse(byte[] protobuf) throws IOException {
    List<Sample> samples = new ArrayList<>();
    Map<String, Family> families = new LinkedHashMap<>();
    InputStream in = new ByteArrayInputStream(protobuf);
    Metrics.MetricFamily family;
    while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      String name = family.getName();
      families.put(name, new Family(name, family.getType().name(), family.getHelp()));
      for (Metrics.Metric metric : family.getMetricList()) {
        Map<String, String> labels = new TreeMap<>();
        for (Metrics.LabelPair pair : metric.getLabelList()) {
          labels.put(pair.getName(), pair.getValue());
        }
        switch (family.getType()) {
          case COUNTER:
            samples.add(new Sample(name, labels, metric.getCounter().getValue()));
            break;
          case GAUGE:
            samples.add(new Sample(name, labels, metric.getGauge().getValue()));
            break;
          case HISTOGRAM:
            Metrics.Histogram h = metric.getHistogram();
            for (Metrics.Bucket bucket : h.getBucketList()) {
              Map<String, String> withLe = new TreeMap<>(labels);
              withLe.put("le", formatLe(bucket.getUpperBound()));
              samples.add(new Sample(name + "_bucket", withLe, bucket.getCumulativeCount()));
            }
            int bucketCount = h.getBucketCount();
            if (bucketCount == 0
                || h.getBucket(bucketCount - 1).getUpperBound() != Double.POSITIVE_INFINITY) {
              Map<String, String> inf = new TreeMap<>(labels);
              inf.put("le", "+Inf");
              samples.add(new Sample(name + "_bucket", inf, h.getSampleCount()));
            }
            samples.add(new Sample(name + "_sum", labels, h.getSampleSum()));
            samples.add(new Sample(name + "_count", labels, h.getSampleCount()));
            break;
          case SUMMARY:
            samples.add(new Sample(name + "_sum", labels, metric.getSummary().getSampleSum()));
            samples.add(new Sample(name + "_count", labels, metric.getSummary().getSampleCount()));
            break;
          default:
            samples.add(new Sample(name, labels, metric.getUntyped().getValue()));
        }
      }
    }
    return new Scrape(Collections.unmodifiableList(samples), families);
  }

  private static String formatLe(double bound) {
    if (bound == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    return Double.toString(bound);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples with this name. */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
  }

  public @Nullable Family family(String name) {
    return families.get(name);
  }

  public Map<String, Family> families() {
    return families;
  }

  /**
   * The value of the one sample with this name whose labels include these pairs ({@code "model",
   * "gpt-4", ...}); fails if there is none or more than one.
   */
  public double value(String name, String... labelPairs) {
    List<Sample> matches = matching(name, labelPairs);
    if (matches.size() != 1) {
      throw new AssertionError(
          "expected exactly one "
              + name
              + " sample with "
              + List.of(labelPairs)
              + ", found "
              + matches
              + "\nall "
              + name
              + " samples: "
              + samples(name));
    }
    return matches.get(0).value();
  }

  /** The samples with this name whose labels include these pairs. */
  public List<Sample> matching(String name, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label pairs must come in name, value pairs");
    }
    List<Sample> result = new ArrayList<>();
    for (Sample s : samples(name)) {
      boolean all = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
          all = false;
          break;
        }
      }
      if (all) {
        result.add(s);
      }
    }
    return result;
  }

  /** The sum over all samples with this name. */
  public double sum(String name) {
    return samples(name).stream().mapToDouble(Sample::value).sum();
  }
}
