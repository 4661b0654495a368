package dev.olympus.client;

/** The records API request a {@link PendingWrite} becomes. */
public enum WriteMethod {
  /** {@code PUT /api/v1/records/{collection}/{id}}: create or replace. */
  PUT,
  /** {@code PATCH /api/v1/records/{collection}/{id}}: change some fields; 404 if absent. */
  PATCH,
  /** {@code DELETE /api/v1/records/{collection}/{id}}: leave a tombstone. */
  DELETE
}
