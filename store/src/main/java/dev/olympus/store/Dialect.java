package dev.olympus.store;

/** The SQL databases Olympus runs on; each has its own migration folder. */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /** The migration folder name under a store's migration root, e.g. {@code db/cloud/sqlite}. */
  public String folder() {
    return folder;
  }
}
