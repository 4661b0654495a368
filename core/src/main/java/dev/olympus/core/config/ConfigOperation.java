package dev.olympus.core.config;

/** What a config change did to its entity; the wire names are seed 003's upper-case ones. */
public enum ConfigOperation {
  INSERT,
  UPDATE,
  DELETE
}
