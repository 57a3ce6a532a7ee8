package io.syncctl.sidecar.destination.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Short, secret-free texts for what the S3 client throws: the task's error is what the user reads. */
final class S3Errors {
    private S3Errors() {
    }

    /** What went wrong with a request to {@code bucket} at {@code endpoint}, for the early check. */
    static String check(Throwable e, String bucket, String endpoint) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                return "s3 rejected the credentials (" + code + "): check accessKeyId and secretAccessKey";
            }
            if (s.statusCode() == 404 || "NoSuchBucket".equals(code)) {
                return "s3 bucket " + bucket + " does not exist at " + endpoint;
            }
            if (s.statusCode() == 403) {
                return "s3 denied access to bucket " + bucket + " (HTTP 403" + (code == null ? "" : " " + code)
                        + "): check accessKeyId, secretAccessKey and the bucket's policy";
            }
            if (s.statusCode() == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                return "s3 bucket " + bucket + " is not in region of the request: check region";
            }
        }
        Throwable root = rootCause(e);
        if (root instanceof UnknownHostException || root instanceof ConnectException || root instanceof SocketTimeoutException) {
            return "cannot reach s3 endpoint " + endpoint + ": " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " " + root.getMessage());
        }
        return "s3 bucket " + bucket + " at " + endpoint + " is not usable: " + describe(e);
    }

    /** One line for any client or service failure. */
    static String describe(Throwable e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String msg = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            return "HTTP " + s.statusCode() + (code == null ? "" : " " + code) + (msg == null ? "" : ": " + msg);
        }
        if (e instanceof SdkClientException) {
            Throwable root = rootCause(e);
            return root == e ? String.valueOf(e.getMessage())
                    : root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
        }
        return e.toString();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
