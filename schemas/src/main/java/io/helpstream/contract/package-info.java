/**
 * The contract between helpstream and everything around it: each topic bound to the serdes of its records
 * ({@link io.helpstream.contract.Topics}, {@link io.helpstream.contract.Topic}) and the Avro single-object encoding
 * ({@link io.helpstream.contract.AvroSerde}). The record classes are generated into {@code io.helpstream.schema} from
 * the {@code .avsc} files in {@code src/main/avro}.
 */
package io.helpstream.contract;
