/**
 * Whetstone's Solr plugins, in packages by concern (as Solr's {@code llm} module splits model,
 * search and update processor): {@link dev.whetstone.solr.model} (the model registry component
 * and the models it serves), {@link dev.whetstone.solr.search} (the {@code {!embed}} and {@code
 * {!hybrid}} query parsers and the collection-wide fusion component), {@link
 * dev.whetstone.solr.update} (the embedding update processor), {@link dev.whetstone.solr.schema}
 * (the GPU kNN codec factory and field type) and {@link dev.whetstone.solr.ubi} (the UBI query
 * log that click training reads).
 *
 * <p>This package holds what they share: the names of the parameters users write ({@link
 * dev.whetstone.solr.WhetstoneParams}), typed reads of them whose errors name the parameter
 * ({@link dev.whetstone.solr.CheckedParams}), and the protocol of the parameters nodes send each
 * other, owned by {@link dev.whetstone.solr.InternalParams}: query vectors embedded on the
 * coordinator, fused scores, candidate requests, and the HMAC signature that lets a shard trust
 * them ({@link dev.whetstone.solr.InternalParamsSigner}, keyed by {@code InternalParamsKey}).
 */
package dev.whetstone.solr;
