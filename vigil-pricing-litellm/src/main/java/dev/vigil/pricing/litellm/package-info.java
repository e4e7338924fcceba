/**
 * LiteLLM's public price table, {@code model_prices_and_context_window.json}, read into Vigil's
 * {@link dev.vigil.Pricing}: see {@link dev.vigil.pricing.litellm.LiteLlmPrices}.
 */
@NullMarked
package dev.vigil.pricing.litellm;

import org.jspecify.annotations.NullMarked;
