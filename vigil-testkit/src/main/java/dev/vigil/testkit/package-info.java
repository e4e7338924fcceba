/** Test support shared by Vigil's modules. Not published. */
@NullMarked
package dev.vigil.testkit;

import org.jspecify.annotations.NullMarked;
