package dev.vigil.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * vigil-bom pins exactly the modules a release publishes, at the parent's version, so a module
 * added to the build without a line in the BOM (or a test module that forgot to skip the deploy)
 * fails here rather than in a user's dependency tree.
 */
class BomTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void bomManagesEveryPublishedModuleAndNothingElse() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    Set<String> published = new TreeSet<>();
    for (String module : texts(child(parent.getDocumentElement(), "modules"), "module")) {
      Document pom = read(ROOT.resolve(module).resolve("pom.xml"));
      if (isPublishedJar(pom.getDocumentElement())) {
        published.add(text(pom.getDocumentElement(), "artifactId"));
      }
    }

    Element bom = read(ROOT.resolve("vigil-bom/pom.xml")).getDocumentElement();
    Set<String> managed = new TreeSet<>();
    for (Element dependency : dependencies(bom)) {
      assertThat(text(dependency, "groupId")).isEqualTo("dev.vigil");
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }

    assertThat(published)
        .containsExactlyInAnyOrder(
            "vigil-core",
            "vigil-logback",
            "vigil-sentry",
            "vigil-redis",
            "vigil-servlet",
            "vigil-spring-boot-starter",
            "vigil-otel",
            "vigil-pricing-litellm");
    assertThat(managed).isEqualTo(published);
  }

  @Test
  void bomHasNoParentAndTheParentsVersion() throws Exception {
    Element bom = read(ROOT.resolve("vigil-bom/pom.xml")).getDocumentElement();
    Element parent = read(ROOT.resolve("pom.xml")).getDocumentElement();

    assertThat(child(bom, "parent")).as("a parent's dependencyManagement would leak").isNull();
    assertThat(text(bom, "packaging")).isEqualTo("pom");
    assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
  }

  private static boolean isPublishedJar(Element project) {
    String packaging = text(project, "packaging");
    if (packaging != null && !packaging.equals("jar")) {
      return false;
    }
    Element properties = child(project, "properties");
    if (properties != null && "true".equals(text(properties, "maven.deploy.skip"))) {
      return false;
    }
    Element build = child(project, "build");
    Element plugins = build == null ? null : child(build, "plugins");
    if (plugins != null) {
      for (Element plugin : children(plugins, "plugin")) {
        Element configuration = child(plugin, "configuration");
        if ("maven-deploy-plugin".equals(text(plugin, "artifactId"))
            && configuration != null
            && "true".equals(text(configuration, "skip"))) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<Element> dependencies(Element project) {
    Element management = child(project, "dependencyManagement");
    assertThat(management).isNotNull();
    return children(child(management, "dependencies"), "dependency");
  }

  private static Document read(Path pom) throws Exception {
    assertThat(pom).exists();
    try (var in = Files.newInputStream(pom)) {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static List<String> texts(Element parent, String name) {
    List<String> found = new ArrayList<>();
    for (Element element : children(parent, name)) {
      found.add(element.getTextContent().trim());
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    return element == null ? null : element.getTextContent().trim();
  }
}
