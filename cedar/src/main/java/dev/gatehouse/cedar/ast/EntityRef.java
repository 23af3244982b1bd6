package dev.gatehouse.cedar.ast;

/** A reference to an entity in a scope constraint: a concrete {@link EntityUid} or a template {@link Slot}. */
public sealed interface EntityRef permits EntityUid, Slot {}
