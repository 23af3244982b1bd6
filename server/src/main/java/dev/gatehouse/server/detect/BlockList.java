package dev.gatehouse.server.detect;

import java.util.List;
import java.util.Optional;

/**
 * Where blocks live: this node's memory ({@link InMemoryBlockList}) or Redis, shared by every node
 * ({@link RedisBlockList}). Expired blocks are neither listed nor applied.
 */
public interface BlockList {

  void add(Block b);

  /** The block on {@code kind:value} of {@code tenant}, if active at {@code now}. */
  Optional<Block> find(String tenant, String kind, String value, long now);

  /** Active blocks of {@code tenant}, at most {@code limit}. */
  List<Block> list(String tenant, long now, int limit);

  /** Removes one block; false when there was none. */
  boolean clear(String tenant, String id);

  /** Removes every block of {@code tenant}; how many. */
  int clearAll(String tenant);
}
