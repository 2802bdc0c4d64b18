"""__APP_NAME__: an iApp in Python. It runs inside a TEE; it reads its inputs from the IEXEC_*
environment through confidant_enclave.py (standard library only) and writes its result to IEXEC_OUT."""

import os

import confidant_enclave as enclave


def main():
    args = enclave.get_args()
    # The protected data is decrypted only inside the enclave; "name" is one of its keys.
    if os.environ.get("IEXEC_DATASET_FILENAME"):
        name = enclave.get_value("name", "string")
    else:
        name = args[0] if args else "World"

    lines = ["Hello, %s!" % name]
    for file in enclave.get_input_files():
        with open(file["path"], "rb") as handle:
            lines.append("input file %d has %d bytes" % (file["index"], len(handle.read())))
    secret = enclave.get_requester_secret(1)
    if secret is not None:
        lines.append("requester secret 1 has %d characters" % len(secret))

    print(lines[0])
    result = enclave.write_result_file("result.txt", "\n".join(lines) + "\n")
    enclave.write_computed_json(deterministic_output_path=result)


if __name__ == "__main__":
    main()
