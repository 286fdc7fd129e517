import AWSClient
import Foundation
import Testing

@Suite struct HTTPRequestTests {
    @Test func headerLookUpIgnoresCase() {
        let request = HTTPRequest(method: "POST", url: URL(string: "https://sts.amazonaws.com/")!, headers: [("X-Amz-Date", "20150830T123600Z")])
        #expect(request.header("x-amz-date") == "20150830T123600Z")
        #expect(request.header("host") == nil)
    }
}
