package io.github.dl4jspectral.examples.cli;

/**
 * A command-line value outside what it may be ("--epochs 0; expected >= 1"), found by a subcommand: reported like
 * picocli's own parameter errors, one line and exit status 2, before any work starts.
 */
final class BadArgumentException extends RuntimeException {

    BadArgumentException(String message) {
        super(message);
    }
}
