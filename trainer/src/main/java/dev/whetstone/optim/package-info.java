/**
 * Optimizers on DJL NDArrays: {@link dev.whetstone.optim.AdamW}, the one Adam of the trainer, used
 * to fine-tune the encoder ({@code train}) and to fit the Cosine Adapter ({@code calibrate}).
 */
package dev.whetstone.optim;
