package dev.vigil.otel.internal;

import dev.vigil.spi.KpiObserver;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry's GenAI client metric {@code gen_ai.client.token.usage}: a histogram of the tokens
 * of each {@code Kpi.tokenSpend}, by model, token type, provider and operation, with the
 * convention's bucket boundaries. Fed by {@link KpiObserver} on the tracking thread, so recording
 * is a lookup in two maps keyed by the series' own label strings (their hash codes are cached) and
 * two {@code LongAdder} adds: no lock, no allocation once the (model, type) pair was seen.
 *
 * <p>Vigil's token types map to the convention's {@code input} and {@code output}: {@code input},
 * {@code prompt}, {@code cache_read}, {@code cache_write}, {@code cache_write_1h} and {@code
 * cached_input} are input; {@code output}, {@code completion} and {@code reasoning} are output; any
 * other type is passed on as it is. A provider usage event ({@code Kpi.openAiChatUsage(..)} and
 * friends) is one request: one observation of its whole input and one of its whole output, as the
 * convention's {@code gen_ai.usage.input_tokens} counts the cache in.
 */
public final class TokenUsage implements KpiObserver {
  static final String NAME = "gen_ai.client.token.usage";
  static final String DESCRIPTION = "Number of input and output tokens used.";
  static final String UNIT = "{token}";
  static final List<Double> BOUNDARIES =
      List.of(
          1d, 4d, 16d, 64d, 256d, 1024d, 4096d, 16384d, 65536d, 262144d, 1048576d, 4194304d,
          16777216d, 67108864d);
  private static final double[] BOUNDS = BOUNDARIES.stream().mapToDouble(d -> d).toArray();

  /** Vigil already caps label sets per metric; this bounds the map whatever the caps are. */
  static final int MAX_CELLS = 4096;

  private final @Nullable String provider;
  private final String operation;
  private final Map<String, Map<String, Cell>> cells = new ConcurrentHashMap<>();
  // completion and output of one model are both "output": one series, or the export would carry
  // two points with the same attributes.
  private final Map<Attributes, Cell> byAttributes = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private volatile @Nullable Cell overflow;

  public TokenUsage(@Nullable String provider, String operation) {
    this.provider = provider;
    this.operation = operation;
  }

  @Override
  public void tokenSpend(long tokens, String model, String type) {
    Map<String, Cell> byType = cells.get(model);
    Cell cell = byType == null ? null : byType.get(type);
    if (cell == null) {
      cell = create(model, type);
    }
    cell.record(tokens);
  }

  @Override
  public void tokenUsage(
      String model,
      long input,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long output,
      long reasoning) {
    long allInput = input + cacheRead + cacheWrite + cacheWrite1h;
    if (allInput > 0) {
      tokenSpend(allInput, model, "input");
    }
    long allOutput = output + reasoning;
    if (allOutput > 0) {
      tokenSpend(allOutput, model, "output");
    }
  }

  private Cell create(String model, String type) {
    if (size.get() >= MAX_CELLS) {
      Cell o = overflow;
      if (o == null) {
        synchronized (this) {
          o = overflow;
          if (o == null) {
            o = byAttributes.computeIfAbsent(attributes("__overflow__", "__overflow__"), Cell::new);
            overflow = o;
          }
        }
      }
      return o;
    }
    Map<String, Cell> byType = cells.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
    return byType.computeIfAbsent(
        type,
        t -> {
          size.incrementAndGet();
          return byAttributes.computeIfAbsent(attributes(model, t), Cell::new);
        });
  }

  private Attributes attributes(String model, String type) {
    return Attributes.builder()
        .put("gen_ai.request.model", model)
        .put("gen_ai.token.type", tokenType(type))
        .put("gen_ai.provider.name", provider != null ? provider : provider(model))
        .put("gen_ai.operation.name", operation)
        .build();
  }

  static String tokenType(String type) {
    switch (type) {
      case "input":
      case "prompt":
      case "cache_read":
      case "cache_write":
      case "cache_write_1h":
      case "cached_input":
        return "input";
      case "output":
      case "completion":
      case "reasoning":
        return "output";
      default:
        return type;
    }
  }

  /**
   * The provider a model name belongs to, by the vendors' naming; {@code _OTHER} (the semantic
   * conventions' value for one not listed) when the name says nothing.
   */
  static String provider(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("gpt-")
        || m.startsWith("chatgpt")
        || m.matches("o[1-9](-.*)?")
        || m.startsWith("dall-e")
        || m.startsWith("text-embedding")
        || m.startsWith("whisper")
        || m.startsWith("tts-")) {
      return "openai";
    }
    if (m.startsWith("claude")) {
      return "anthropic";
    }
    if (m.startsWith("gemini")) {
      return "gcp.gemini";
    }
    if (m.startsWith("mistral")
        || m.startsWith("mixtral")
        || m.startsWith("codestral")
        || m.startsWith("ministral")
        || m.startsWith("pixtral")) {
      return "mistral_ai";
    }
    if (m.startsWith("command")) {
      return "cohere";
    }
    if (m.startsWith("deepseek")) {
      return "deepseek";
    }
    if (m.startsWith("grok")) {
      return "x_ai";
    }
    if (m.startsWith("sonar")) {
      return "perplexity";
    }
    return "_OTHER";
  }

  /** Adds this histogram's points to one collection. */
  void produce(RegistryProducer.Run run) {
    List<HistogramPointData> points = new ArrayList<>(byAttributes.size());
    for (Cell cell : byAttributes.values()) {
      cell.addTo(run, points);
    }
    run.add(
        NAME,
        DESCRIPTION,
        UNIT,
        MetricDataType.HISTOGRAM,
        points,
        HistogramData.create(run.temporality(), points));
  }

  /** One (model, type) series: per-bucket adders and the sum. */
  static final class Cell {
    final Attributes attributes;
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sum = new LongAdder();

    Cell(Attributes attributes) {
      this.attributes = attributes;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void record(long tokens) {
      // Upper bounds are inclusive, as in OTLP and Prometheus: 4 tokens fall in (1, 4].
      int i = 0;
      while (i < BOUNDS.length && tokens > BOUNDS[i]) {
        i++;
      }
      buckets[i].increment();
      sum.add(tokens);
    }

    void addTo(RegistryProducer.Run run, List<HistogramPointData> points) {
      long[] counts = new long[buckets.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = buckets[i].sum();
      }
      run.histogramPoint(
          points, NAME, this, null, attributes, run.start(), BOUNDARIES, counts, sum.sum());
    }
  }
}
