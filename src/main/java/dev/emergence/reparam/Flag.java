package dev.emergence.reparam;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The command-line option of a {@link ProblemSettings} component: its name and help text, where
 * {@code ${DEFAULT-VALUE}} stands for the default settings' value and {@code
 * ${COMPLETION-CANDIDATES}} for an enum's values.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Flag {
  String name();

  String description();
}
