package dev.emergence.listops;

/** An expression and its value. */
public record Example(Expression expression, int answer) {}
