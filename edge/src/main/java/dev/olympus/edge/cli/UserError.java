package dev.olympus.edge.cli;

/** A problem the user can fix; printed as its message alone, without a stack trace. */
final class UserError extends RuntimeException {
  UserError(String message) {
    super(message);
  }
}
