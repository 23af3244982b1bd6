package dev.gatehouse.server.http;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The routes a node serves, as {@code METHOD /path/{param}} pairs: an {@link HttpRules} that
 * records what services register instead of serving it. The OpenAPI test compares this list with
 * the document, so that a route nobody documented fails the build.
 *
 * <p>{@code any} routes are recorded with the method {@code ANY}: they answer 405 with
 * {@code Allow} or 404 for paths that exist under another method, and are not operations.
 */
public final class RouteList implements HttpRules {

  /** One registered route. */
  public record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final List<Method> METHODS = List.of(Method.GET, Method.HEAD, Method.POST,
      Method.PUT, Method.PATCH, Method.DELETE, Method.OPTIONS);

  private final List<Route> routes = new ArrayList<>();

  /** What was registered so far, in registration order. */
  public synchronized List<Route> routes() {
    return Collections.unmodifiableList(new ArrayList<>(routes));
  }

  /**
   * A routing builder that registers everything in {@code delegate} and records the routes of
   * every service registered through it.
   */
  public RecordingRouting recording(io.helidon.webserver.http.HttpRouting.Builder delegate) {
    return new RecordingRouting(delegate, this);
  }

  synchronized void add(String method, String path) {
    routes.add(new Route(method, path));
  }

  @Override
  public HttpRules register(HttpService... services) {
    for (HttpService s : services) {
      s.routing(this);
    }
    return this;
  }

  @Override
  public HttpRules register(String prefix, HttpService... services) {
    RouteList inner = new RouteList();
    inner.register(services);
    for (Route r : inner.routes()) {
      add(r.method(), prefix + r.path());
    }
    return this;
  }

  @Override
  public HttpRules route(HttpRoute route) {
    add("?", route.pathMatcher().map(Object::toString).orElse("?"));
    return this;
  }

  @Override
  public HttpRules route(Method method, String path, Handler handler) {
    add(method.text(), path);
    return this;
  }

  @Override
  public HttpRules route(Predicate<Method> methods, PathMatcher path, Handler handler) {
    for (Method m : METHODS) {
      if (methods.test(m)) {
        add(m.text(), template(path));
      }
    }
    return this;
  }

  /**
   * The template a path matcher was made from, e.g. {@code /t/{tenant}/jwks}. Helidon prints
   * pattern matchers as their regular expression, with generated group names; the template is a
   * private field of the matcher, read when the class path allows it.
   */
  static String template(PathMatcher matcher) {
    try {
      java.lang.reflect.Field f = matcher.getClass().getDeclaredField("sourcePattern");
      f.setAccessible(true);
      return String.valueOf(f.get(matcher));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return matcher.toString();
    }
  }

  @Override
  public HttpRules get(String path, Handler... handlers) {
    add(Method.GET.text(), path);
    return this;
  }

  @Override
  public HttpRules post(String path, Handler... handlers) {
    add(Method.POST.text(), path);
    return this;
  }

  @Override
  public HttpRules put(String path, Handler... handlers) {
    add(Method.PUT.text(), path);
    return this;
  }

  @Override
  public HttpRules patch(String path, Handler... handlers) {
    add(Method.PATCH.text(), path);
    return this;
  }

  @Override
  public HttpRules delete(String path, Handler... handlers) {
    add(Method.DELETE.text(), path);
    return this;
  }

  @Override
  public HttpRules head(String path, Handler... handlers) {
    add(Method.HEAD.text(), path);
    return this;
  }

  @Override
  public HttpRules options(String path, Handler... handlers) {
    add(Method.OPTIONS.text(), path);
    return this;
  }

  @Override
  public HttpRules any(String path, Handler... handlers) {
    add("ANY", path);
    return this;
  }
}
