package dev.vigil.hostile;

import dev.vigil.testkit.SecretCorpus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hostile values, drawn from a seeded {@link SplittableRandom} so that a run is reproduced by its
 * seed: strings with control characters, lone surrogates, quotes, reserved values and 10 kB of
 * text; numbers at and past their limits; {@code BigDecimal}s with huge and tiny scales; maps that
 * contain themselves, nest deeply or throw; objects whose {@code toString()} throws or recurses;
 * exceptions whose {@code getMessage()}, {@code getCause()} or stack misbehave. Each value comes
 * with a description that never calls the value's own methods, for the failure report.
 */
final class Hostile {
  /** A value and how to name it in a report. */
  record Value<T>(T value, String shown) {}

  private static final String[] WORDS = {
    "image",
    "text",
    "card",
    "gpt-4",
    "completion",
    "input",
    "premium",
    "email",
    "dalle-3",
    "insufficient_funds",
    "TimeoutException",
    "GET",
    "/api/users/{id}",
    "unknown",
    "USD",
    "EUR"
  };
  private static final String TEN_KB = "x".repeat(10_240);
  private static final String TEN_KB_SPACES = " ".repeat(10_000) + "image";
  private static final List<Object> DEEP_LIST = deepList(3_000);
  private static final Map<String, Object> SELF_MAP = selfMap();
  private static final List<Object> SELF_LIST = selfList();
  private static final Map<String, Object> WIDE_MAP = wideMap(2_000);

  private final SplittableRandom random;

  Hostile(SplittableRandom random) {
    this.random = random;
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  Value<String> string() {
    switch (random.nextInt(30)) {
      case 0:
        return new Value<>(null, "null");
      case 1:
        return v("");
      case 2:
        return v("   ");
      case 3:
        return v("line\nbreak\ttab\u0000nul\u007fdel");
      case 4:
        return v("\uD800");
      case 5:
        return v("\uDC00");
      case 6:
        return v("a\uD800b");
      case 7:
        return v("?");
      case 8:
        return v("\uFFFD");
      case 9:
        return v("emoji \uD83D\uDE00 pair");
      case 10:
        return v("quote\" back\\slash ' {brace} =eq ,comma");
      case 11:
        return v("__overflow__");
      case 12:
        return v(" __overflow__ ");
      case 13:
        return new Value<>(TEN_KB, "10 kB of x");
      case 14:
        return new Value<>(TEN_KB_SPACES, "10 kB of spaces then image");
      case 15:
        return v("api_key=" + SecretCorpus.API_KEY);
      case 16:
        return v("https://user:" + SecretCorpus.URL_PASSWORD + "@db.example/x?token=abc");
      case 17:
        return v("v" + random.nextInt(5_000)); // cardinality past the cap
      case 18:
        return v("\u202Eright-to-left\u200Bzero-width");
      case 19:
        return v(randomText(random.nextInt(40), true));
      case 20:
        return v("bearer " + "a".repeat(300));
      case 21:
        return v("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1");
      default:
        return v(WORDS[random.nextInt(WORDS.length)]);
    }
  }

  private String randomText(int length, boolean anyChar) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(anyChar ? (char) random.nextInt(0x10000) : (char) (32 + random.nextInt(95)));
    }
    return out.toString();
  }

  private static Value<String> v(String s) {
    return new Value<>(s, show(s));
  }

  static String show(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < Math.min(s.length(), 40); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
      }
    }
    return out.append(s.length() > 40 ? "...\" (" + s.length() + " chars)" : "\"").toString();
  }

  /** An array of label values: null, the wrong length, or hostile strings. */
  Value<String[]> labels(int arity) {
    if (chance(5)) {
      return new Value<>(null, "(String[]) null");
    }
    int n = chance(10) ? random.nextInt(5) : arity;
    String[] values = new String[n];
    StringBuilder shown = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      Value<String> s = string();
      values[i] = s.value();
      shown.append(i == 0 ? "" : ", ").append(s.shown());
    }
    return new Value<>(values, shown.append(']').toString());
  }

  long longValue() {
    switch (random.nextInt(14)) {
      case 0:
        return 0;
      case 1:
        return -1;
      case 2:
        return Long.MIN_VALUE;
      case 3:
        return Long.MAX_VALUE;
      case 4:
        return Long.MAX_VALUE - 1;
      case 5:
        return 1_000_000_000_000L;
      case 6:
        return 1_000_000_000_001L;
      case 7:
        return 1L << 53;
      case 8:
        return 1L << 62;
      case 9:
        return random.nextLong();
      default:
        return 1 + random.nextInt(5_000);
    }
  }

  double doubleValue() {
    switch (random.nextInt(14)) {
      case 0:
        return Double.NaN;
      case 1:
        return Double.POSITIVE_INFINITY;
      case 2:
        return Double.NEGATIVE_INFINITY;
      case 3:
        return -0.0;
      case 4:
        return Double.MIN_VALUE;
      case 5:
        return Double.MAX_VALUE;
      case 6:
        return -Double.MAX_VALUE;
      case 7:
        return 0x1p53;
      case 8:
        return 0x1p63;
      case 9:
        return -1.5;
      default:
        return random.nextDouble() * 100;
    }
  }

  int intValue() {
    switch (random.nextInt(8)) {
      case 0:
        return Integer.MIN_VALUE;
      case 1:
        return Integer.MAX_VALUE;
      case 2:
        return -1;
      case 3:
        return 600;
      default:
        return 100 + random.nextInt(500);
    }
  }

  Value<BigDecimal> decimal() {
    switch (random.nextInt(14)) {
      case 0:
        return new Value<>(null, "null");
      case 1:
        return new Value<>(new BigDecimal("1E-999999999"), "1E-999999999");
      case 2:
        return new Value<>(new BigDecimal("1E+999999999"), "1E+999999999");
      case 3:
        return new Value<>(BigDecimal.valueOf(1, Integer.MAX_VALUE), "scale Integer.MAX_VALUE");
      case 4:
        return new Value<>(BigDecimal.valueOf(7, Integer.MIN_VALUE + 1), "scale MIN_VALUE+1");
      case 5:
        return new Value<>(new BigDecimal(BigInteger.TWO.pow(2_000), 5), "2^2000 / 10^5");
      case 6:
        return new Value<>(new BigDecimal(19.99), "new BigDecimal(19.99)");
      case 7:
        return new Value<>(new BigDecimal("-9.99"), "-9.99");
      case 8:
        return new Value<>(new BigDecimal("999999999999.9999"), "999999999999.9999");
      case 9:
        return new Value<>(new ThrowingDecimal(), "ThrowingDecimal");
      case 10:
        return new Value<>(BigDecimal.ZERO, "0");
      default:
        BigDecimal d = BigDecimal.valueOf(random.nextInt(100_000), 2);
        return new Value<>(d, d.toPlainString());
    }
  }

  /** Any value a context map or an untyped field may hold. */
  Value<Object> object() {
    switch (random.nextInt(24)) {
      case 0:
        return new Value<>(null, "null");
      case 1:
        return new Value<>(
            new ThrowingToString(new IllegalStateException("toString")), "toString throws ISE");
      case 2:
        return new Value<>(
            new ThrowingToString(new AssertionError("toString")), "toString throws Error");
      case 3:
        return new Value<>(
            new ThrowingToString(new IOException("checked")),
            "toString throws IOException (sneaky)");
      case 4:
        return new Value<>(new RecursiveToString(), "toString recurses");
      case 5:
        return new Value<>(new HugeToString(), "toString returns 1 MB");
      case 6:
        return new Value<>(SELF_MAP, "map containing itself");
      case 7:
        return new Value<>(SELF_LIST, "list containing itself");
      case 8:
        return new Value<>(DEEP_LIST, "list nested 3000 deep");
      case 9:
        return new Value<>(WIDE_MAP, "map of 2000 entries");
      case 10:
        return new Value<>(new ThrowingMap(), "map whose every method throws");
      case 11:
        return new Value<>(new EndlessMap(), "map with endless entries");
      case 12:
        return new Value<>(ShoutingEnum.LOUD, "enum whose toString throws");
      case 13:
        return new Value<>(new ThrowingNumber(), "Number whose methods throw");
      case 14:
        return new Value<>(Double.NaN, "NaN");
      case 15:
        return new Value<>(Long.MAX_VALUE, "Long.MAX_VALUE");
      case 16:
        Value<BigDecimal> d = decimal();
        return new Value<>(d.value(), "BigDecimal " + d.shown());
      case 17:
        return new Value<>(new int[] {1, 2, 3}, "int[3]");
      case 18:
        return new Value<>(BigInteger.TWO.pow(100_000), "2^100000");
      default:
        Value<String> s = string();
        return new Value<>(s.value(), s.shown());
    }
  }

  /** A context or untyped-KPI map: the specification's fields and others, hostile values. */
  Value<Map<String, Object>> map(List<String> fields) {
    switch (random.nextInt(12)) {
      case 0:
        return new Value<>(null, "null map");
      case 1:
        return new Value<>(new ThrowingMap(), "map whose every method throws");
      case 2:
        return new Value<>(SELF_MAP, "map containing itself");
      case 3:
        return new Value<>(new EndlessMap(), "map with endless entries");
      default:
        Map<String, Object> m = new LinkedHashMap<>();
        StringBuilder shown = new StringBuilder("{");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
          String key = chance(70) ? pick(fields) : string().value();
          Value<Object> value = chance(30) ? numberObject() : object();
          m.put(key, value.value());
          shown
              .append(i == 0 ? "" : ", ")
              .append(key == null ? "null" : show(key))
              .append('=')
              .append(value.shown());
        }
        return new Value<>(m, shown.append('}').toString());
    }
  }

  /** Numbers of every boxed kind, for the untyped {@code tokens} and {@code amount}. */
  Value<Object> numberObject() {
    switch (random.nextInt(9)) {
      case 0:
        long l = longValue();
        return new Value<>(l, l + "L");
      case 1:
        int i = intValue();
        return new Value<>(i, Integer.toString(i));
      case 2:
        double d = doubleValue();
        return new Value<>(d, d + "d");
      case 3:
        return new Value<>((float) doubleValue(), "float");
      case 4:
        return new Value<>(
            BigInteger.valueOf(longValue()).shiftLeft(random.nextInt(100)), "BigInteger");
      case 5:
        Value<BigDecimal> dec = decimal();
        return new Value<>(dec.value(), "BigDecimal " + dec.shown());
      case 6:
        return new Value<>(new java.util.concurrent.atomic.AtomicLong(5), "AtomicLong 5");
      case 7:
        return new Value<>(new ThrowingNumber(), "ThrowingNumber");
      default:
        return new Value<>("1500", "\"1500\"");
    }
  }

  Value<Throwable> throwable() {
    switch (random.nextInt(16)) {
      case 0:
        return new Value<>(null, "null");
      case 1:
        return new Value<>(new RuntimeException((String) null), "RuntimeException(null)");
      case 2:
        return new Value<>(new MessageThrows(), "getMessage throws");
      case 3:
        return new Value<>(new MessageRecurses(), "getMessage recurses");
      case 4:
        return new Value<>(new CauseThrows(), "getCause throws");
      case 5:
        return new Value<>(new StackThrows(), "getStackTrace throws");
      case 6:
        return new Value<>(causeCycle(), "cause cycle");
      case 7:
        return new Value<>(deepChain(2_000), "chain of 2000 causes");
      case 8:
        return new Value<>(new AssertionError("assertion"), "AssertionError");
      case 9:
        return new Value<>(new StackOverflowError("given"), "a StackOverflowError passed in");
      case 10:
        return new Value<>(SecretCorpus.exception(), "SecretCorpus.exception()");
      case 11:
        return new Value<>(new IllegalStateException(TEN_KB), "10 kB message");
      case 12:
        return new Value<>(new NoClassDefFoundError("x"), "NoClassDefFoundError");
      case 13:
        Value<String> s = string();
        return new Value<>(new IllegalArgumentException(s.value()), "IAE(" + s.shown() + ")");
      default:
        return new Value<>(new java.util.concurrent.TimeoutException("slow"), "TimeoutException");
    }
  }

  private static Throwable causeCycle() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    return a;
  }

  private static Throwable deepChain(int depth) {
    Throwable t = new IllegalStateException("root");
    for (int i = 0; i < depth; i++) {
      t = new RuntimeException("level " + i, t);
    }
    return t;
  }

  private static List<Object> deepList(int depth) {
    List<Object> root = new ArrayList<>();
    List<Object> current = root;
    for (int i = 0; i < depth; i++) {
      List<Object> next = new ArrayList<>();
      current.add(next);
      current = next;
    }
    return Collections.unmodifiableList(root);
  }

  private static Map<String, Object> selfMap() {
    Map<String, Object> m = new HashMap<>();
    m.put("self", m);
    m.put("type", "image");
    m.put("tokens", 10);
    m.put("password", SecretCorpus.PASSWORD);
    return Collections.unmodifiableMap(m);
  }

  private static List<Object> selfList() {
    List<Object> l = new ArrayList<>();
    l.add(l);
    l.add("x");
    return Collections.unmodifiableList(l);
  }

  private static Map<String, Object> wideMap(int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, i);
    }
    return Collections.unmodifiableMap(m);
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  static final class ThrowingToString {
    private final Throwable failure;

    ThrowingToString(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public String toString() {
      throw Hostile.<RuntimeException>sneaky(failure);
    }
  }

  static final class RecursiveToString {
    @Override
    public String toString() {
      return "again " + this;
    }
  }

  static final class HugeToString {
    @Override
    public String toString() {
      return "y".repeat(1 << 20);
    }
  }

  enum ShoutingEnum {
    LOUD;

    @Override
    public String toString() {
      throw new UnsupportedOperationException("enum toString");
    }
  }

  @SuppressWarnings("serial")
  static final class ThrowingNumber extends Number {
    @Override
    public int intValue() {
      throw new ArithmeticException("intValue");
    }

    @Override
    public long longValue() {
      throw new ArithmeticException("longValue");
    }

    @Override
    public float floatValue() {
      throw new ArithmeticException("floatValue");
    }

    @Override
    public double doubleValue() {
      throw new ArithmeticException("doubleValue");
    }

    @Override
    public String toString() {
      throw new ArithmeticException("toString");
    }
  }

  @SuppressWarnings("serial")
  static final class ThrowingDecimal extends BigDecimal {
    ThrowingDecimal() {
      super("1.5");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("decimal toString");
    }

    @Override
    public String toPlainString() {
      throw new IllegalStateException("decimal toPlainString");
    }

    @Override
    public int scale() {
      throw new IllegalStateException("decimal scale");
    }
  }

  /** Every method a reader would call throws. */
  static final class ThrowingMap extends AbstractMap<String, Object> {
    @Override
    public Set<Entry<String, Object>> entrySet() {
      throw new java.util.ConcurrentModificationException();
    }

    @Override
    public Object get(Object key) {
      throw new IllegalStateException("get");
    }

    @Override
    public int size() {
      return -1;
    }

    @Override
    public String toString() {
      throw new IllegalStateException("map toString");
    }
  }

  /** A map that claims to be huge and whose iterator never ends. */
  static final class EndlessMap extends AbstractMap<String, Object> {
    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          return new Iterator<>() {
            private long n;

            @Override
            public boolean hasNext() {
              return true;
            }

            @Override
            public Entry<String, Object> next() {
              n++;
              return new SimpleEntry<>("k" + n, n);
            }
          };
        }

        @Override
        public int size() {
          return Integer.MAX_VALUE;
        }
      };
    }

    @Override
    public Object get(Object key) {
      return "tokens".equals(key) ? 7 : null;
    }
  }

  @SuppressWarnings("serial")
  static final class MessageThrows extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage");
    }
  }

  @SuppressWarnings("serial")
  static final class MessageRecurses extends RuntimeException {
    @Override
    public String getMessage() {
      return "again " + getMessage();
    }
  }

  @SuppressWarnings("serial")
  static final class CauseThrows extends RuntimeException {
    CauseThrows() {
      super("cause throws");
    }

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("getCause");
    }
  }

  @SuppressWarnings("serial")
  static final class StackThrows extends RuntimeException {
    StackThrows() {
      super("stack throws");
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      throw new IllegalStateException("getStackTrace");
    }
  }
}
