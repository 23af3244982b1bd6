package dev.gatehouse.server.http;

import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpSecurity;
import io.helidon.webserver.http.HttpService;
import java.util.function.Supplier;

/**
 * A routing builder that passes everything to Helidon's and records the routes of the services
 * registered through it in a {@link RouteList}.
 */
public final class RecordingRouting implements HttpRouting.Builder {

  private final HttpRouting.Builder delegate;
  private final RouteList routes;

  RecordingRouting(HttpRouting.Builder delegate, RouteList routes) {
    this.delegate = delegate;
    this.routes = routes;
  }

  @Override
  public HttpRouting.Builder register(HttpService... services) {
    routes.register(services);
    delegate.register(services);
    return this;
  }

  @Override
  public HttpRouting.Builder register(String path, HttpService... services) {
    routes.register(path, services);
    delegate.register(path, services);
    return this;
  }

  @Override
  public HttpRouting.Builder route(HttpRoute route) {
    delegate.route(route);
    return this;
  }

  @Override
  public HttpRouting.Builder addFilter(Filter filter) {
    delegate.addFilter(filter);
    return this;
  }

  @Override
  public HttpRouting.Builder addFeature(Supplier<? extends HttpFeature> feature) {
    delegate.addFeature(feature);
    return this;
  }

  @Override
  public <T extends Throwable> HttpRouting.Builder error(Class<T> exceptionClass,
      ErrorHandler<? super T> handler) {
    delegate.error(exceptionClass, handler);
    return this;
  }

  @Override
  public HttpRouting.Builder maxReRouteCount(int maxReRouteCount) {
    delegate.maxReRouteCount(maxReRouteCount);
    return this;
  }

  @Override
  public HttpRouting.Builder security(HttpSecurity security) {
    delegate.security(security);
    return this;
  }

  @Override
  public HttpRouting.Builder copy() {
    return new RecordingRouting(delegate.copy(), routes);
  }

  @Override
  public HttpRouting build() {
    return delegate.build();
  }
}
