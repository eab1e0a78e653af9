import Foundation
import ShareCredentials
import Testing

@Suite("Credentials providers")
struct CredentialsProviderTests {
    let secret = "env-secret-4411"

    @Test("the environment provider reads PLAID_CLIENT_ID, PLAID_SECRET and SHARE_API_KEY")
    func environment() throws {
        let provider = EnvironmentCredentialsProvider(environment: [
            "PLAID_CLIENT_ID": "client-1", "PLAID_SECRET": secret, "SHARE_API_KEY": "key-1",
        ])
        #expect(try provider.requireClientCredentials() == ClientCredentials(clientID: "client-1", secret: secret))
        #expect(try provider.requireAPIKey() == APIKey("key-1"))
        #expect(try EnvironmentCredentialsProvider(environment: [:]).clientCredentials() == nil)
        #expect(throws: CredentialsError.self, "an empty variable counts as unset") {
            try EnvironmentCredentialsProvider(environment: ["PLAID_CLIENT_ID": "c", "PLAID_SECRET": ""]).clientCredentials()
        }
    }

    @Test("half a pair in the environment is an error naming the missing variable, not the value")
    func incompleteEnvironment() {
        #expect {
            try EnvironmentCredentialsProvider(environment: ["PLAID_SECRET": secret]).clientCredentials()
        } throws: { error in
            let error = error as? CredentialsError
            return error?.code == .incomplete && error?.description.contains("PLAID_CLIENT_ID") == true
                && error?.description.contains(secret) == false
        }
    }

    @Test("missing credentials name every place looked, through a chain")
    func missingNamesEveryPlace() throws {
        let directory = try temporaryDirectory()
        let chain = CredentialsChain([
            EnvironmentCredentialsProvider(environment: [:]),
            FileCredentialsProvider(path: directory + "/absent.json"),
        ])
        #expect {
            try chain.requireClientCredentials()
        } throws: { error in
            let text = (error as? CredentialsError)?.description ?? ""
            return (error as? CredentialsError)?.code == .missing && text.contains("PLAID_CLIENT_ID") && text.contains("PLAID_SECRET")
                && text.contains("absent.json")
        }
        #expect {
            try chain.requireAPIKey()
        } throws: { ($0 as? CredentialsError)?.description.contains("SHARE_API_KEY") == true }
    }

    @Test("a chain answers with the first provider that has credentials")
    func chainOrder() throws {
        let chain = CredentialsChain([
            EnvironmentCredentialsProvider(environment: [:]),
            StaticCredentialsProvider(ClientCredentials(clientID: "static", secret: "x")),
            EnvironmentCredentialsProvider(environment: ["PLAID_CLIENT_ID": "later", "PLAID_SECRET": "y"]),
        ])
        #expect(try chain.requireClientCredentials().clientID == "static")
    }

    @Test("a JSON file with client_id and secret (or client_secret) is read")
    func jsonFile() throws {
        let path = try write(#"{"client_id": "file-client", "secret": "\#(secret)"}"#, mode: 0o600)
        #expect(try FileCredentialsProvider(path: path).requireClientCredentials() == ClientCredentials(clientID: "file-client", secret: secret))
        let other = try write(#"  {"client_id": "c2", "client_secret": "cs", "api_key": "k"}"#, mode: 0o400)
        #expect(try FileCredentialsProvider(path: other).requireClientCredentials() == ClientCredentials(clientID: "c2", secret: "cs"))
        #expect(try FileCredentialsProvider(path: other).requireAPIKey() == APIKey("k"))
    }

    @Test("a .env file with comments, export and quotes is read")
    func dotEnvFile() throws {
        let path = try write(
            """
            # ShareKit credentials
            export PLAID_CLIENT_ID=env-file-client

            PLAID_SECRET="\(secret)"
            SHARE_API_KEY='api key'
            """,
            mode: 0o600
        )
        let provider = FileCredentialsProvider(path: path)
        #expect(try provider.requireClientCredentials() == ClientCredentials(clientID: "env-file-client", secret: secret))
        #expect(try provider.requireAPIKey() == APIKey("api key"))
    }

    @Test("a file readable by group or others is refused with a clear error", arguments: [0o644, 0o640, 0o604, 0o660])
    func insecureFileIsRefused(mode: Int) throws {
        let path = try write(#"{"client_id": "c", "secret": "\#(secret)"}"#, mode: mode)
        #expect {
            try FileCredentialsProvider(path: path).clientCredentials()
        } throws: { error in
            let error = error as? CredentialsError
            return error?.code == .insecureFile && error?.description.contains("chmod 600") == true
                && error?.description.contains(secret) == false
        }
    }

    @Test("a malformed file is an error naming the file and line, never the content")
    func malformedFile() throws {
        let path = try write("PLAID_CLIENT_ID=c\n\(secret)\n", mode: 0o600)
        #expect {
            try FileCredentialsProvider(path: path).clientCredentials()
        } throws: { error in
            let text = (error as? CredentialsError)?.description ?? ""
            return text.contains("line 2") && !text.contains(secret)
        }
        let json = try write(#"{"client_id": 12, "secret": "\#(secret)"}"#, mode: 0o600)
        #expect {
            try FileCredentialsProvider(path: json).clientCredentials()
        } throws: { error in
            let text = (error as? CredentialsError)?.description ?? ""
            return text.contains("client_id") && !text.contains(secret)
        }
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "sharekit-credentials-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ contents: String, mode: Int) throws -> String {
        let path = try temporaryDirectory() + "/credentials"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}
