package dev.vigil.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The bytecode sizes of a class's methods, read with the JDK's {@code javap}: what HotSpot compares
 * with {@code FreqInlineSize} and {@code MaxInlineSize} when it decides to inline. Tests of the
 * allocation-free paths use it, so an edit that would make the JIT keep an object on the heap fails
 * the build instead of waiting for a benchmark.
 *
 * <pre>{@code
 * Bytecode code = Bytecode.of(KpiDispatch.class);
 * assertThat(code.size("public void record(")).isGreaterThan(325);
 * }</pre>
 */
public final class Bytecode {
  private static final Pattern INSTRUCTION = Pattern.compile("\\n\\s+(\\d+): \\w+");

  private final List<String> methods = new ArrayList<>();

  private Bytecode(String javap) {
    for (String block : javap.split("\n\n")) {
      if (block.contains("Code:")) {
        methods.add(block.strip());
      }
    }
  }

  /** Disassembles {@code type} from where it was loaded (private methods included). */
  public static Bytecode of(Class<?> type) {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
    StringWriter out = new StringWriter();
    int rc =
        javap.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "-c",
            "-p",
            "-cp",
            classes.toString(),
            type.getName());
    if (rc != 0) {
      throw new IllegalStateException("javap failed on " + type.getName() + ": " + out);
    }
    return new Bytecode(out.toString());
  }

  /**
   * The bytes of code of the first method whose signature line contains {@code signaturePart}.
   *
   * @throws AssertionError if there is none
   */
  public int size(String signaturePart) {
    for (String method : methods) {
      if (signature(method).contains(signaturePart)) {
        return codeSize(method);
      }
    }
    throw new AssertionError("no method " + signaturePart + " in javap output");
  }

  /** The signature lines of the methods whose signature matches {@code signature}, with sizes. */
  public List<Method> matching(Pattern signature) {
    List<Method> found = new ArrayList<>();
    for (String method : methods) {
      if (signature.matcher(signature(method)).find()) {
        found.add(new Method(signature(method), codeSize(method)));
      }
    }
    return found;
  }

  /** One method: its signature as javap prints it and its bytes of code. */
  public record Method(String signature, int size) {}

  private static String signature(String method) {
    return method.split("\n", 2)[0];
  }

  private static int codeSize(String method) {
    int exceptionTable = method.indexOf("Exception table");
    String code = exceptionTable < 0 ? method : method.substring(0, exceptionTable);
    Matcher m = INSTRUCTION.matcher(code);
    int last = -1;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last + 1;
  }
}
