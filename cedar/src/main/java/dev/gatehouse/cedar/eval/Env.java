package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.value.EntityValue;
import dev.gatehouse.cedar.value.RecordValue;

/** What a compiled expression reads while evaluating one request: the variables and the store. */
public final class Env {
  final Entities entities;
  final EntityValue principal;
  final EntityValue action;
  final EntityValue resource;
  final RecordValue context;

  /** Creates the environment of {@code request} against {@code entities}. */
  public Env(Request request, Entities entities) {
    this.entities = entities;
    this.principal = new EntityValue(request.principal());
    this.action = new EntityValue(request.action());
    this.resource = new EntityValue(request.resource());
    this.context = request.context();
  }
}
