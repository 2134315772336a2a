/*
 * Only in the uber jar for AWS Managed Flink (the `uber` profile of compose/jvm/pom.xml), and
 * there relocated with Hadoop's conf package, so that it never replaces Flink's own class.
 *
 * Iceberg's Flink catalog asks org.apache.flink.runtime.util.HadoopUtils (in flink-dist, loaded
 * parent-first) for a Hadoop Configuration. On a Flink whose lib/ has no Hadoop, as on Managed
 * Flink, that class cannot link: NoClassDefFoundError: org/apache/hadoop/conf/Configuration.
 * The shade plugin rewrites Iceberg's calls to this stand-in, which lives in the user jar next
 * to the (relocated) Hadoop classes it returns. The catalogs used here (REST, S3FileIO) read no
 * Hadoop setting, so an empty configuration is all they need.
 */
package org.apache.flink.runtime.util;

import org.apache.hadoop.conf.Configuration;

public final class HadoopUtils {
    private HadoopUtils() {}

    public static Configuration getHadoopConfiguration(
            org.apache.flink.configuration.Configuration flinkConfiguration) {
        return new Configuration(false);  // false: no *-site.xml lookups on the classpath
    }
}
